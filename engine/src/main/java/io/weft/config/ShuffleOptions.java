package io.weft.config;

import static io.weft.config.ConfigEntry.bytesConf;
import static io.weft.config.ConfigEntry.doubleConf;

/** Settings of the sort-based shuffle and its spilling. */
public final class ShuffleOptions {
  private ShuffleOptions() {}

  public static final ConfigEntry<Double> MEMORY_FRACTION = doubleConf("weft.shuffle.memoryFraction")
      .doc("Share of the executor's maximum heap for shuffle buffers (map-side sort and combine, "
          + "reduce-side aggregation and sort), divided evenly between its task slots. A task "
          + "whose buffer outgrows its share spills a sorted run to local disk.")
      .defaultValue("0.3")
      .check(f -> f > 0 && f < 1, "between 0 and 1")
      .register();

  public static final ConfigEntry<Long> MEMORY = bytesConf("weft.shuffle.memory")
      .doc("Shuffle buffer memory of one executor in bytes; overrides weft.shuffle.memoryFraction when set.")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Long> FILE_BUFFER = bytesConf("weft.shuffle.file.buffer")
      .doc("Buffer size of each shuffle and spill file stream.")
      .defaultValue("64k")
      .check(n -> n >= 1024 && n <= Integer.MAX_VALUE, "between 1k and 2g")
      .register();
}
