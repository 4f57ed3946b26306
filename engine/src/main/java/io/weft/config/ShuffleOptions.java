package io.weft.config;

import static io.weft.config.ConfigEntry.bytesConf;
import static io.weft.config.ConfigEntry.doubleConf;
import static io.weft.config.ConfigEntry.intConf;

/** Settings of the sort-based shuffle and its spilling. */
public final class ShuffleOptions {
  private ShuffleOptions() {}

  public static final ConfigEntry<Double> MEMORY_FRACTION = doubleConf("weft.shuffle.memoryFraction")
      .doc("Share of the executor's maximum heap for shuffle buffers (map-side sort and combine, "
          + "reduce-side aggregation and sort, join build sides); with weft.storage.memoryFraction it "
          + "sizes the executor's memory pool (see weft.memory.size). A task granted less than its "
          + "buffer needs spills a sorted run to local disk.")
      .defaultValue("0.3")
      .check(f -> f > 0 && f < 1, "between 0 and 1")
      .register();

  public static final ConfigEntry<Long> MEMORY = bytesConf("weft.shuffle.memory")
      .doc("Shuffle buffer memory of one executor in bytes; overrides weft.shuffle.memoryFraction when set, "
          + "and, unless weft.memory.size is set, caps the execution memory of the executor's pool.")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Long> FILE_BUFFER = bytesConf("weft.shuffle.file.buffer")
      .doc("Buffer size of each shuffle and spill file stream.")
      .defaultValue("64k")
      .check(n -> n >= 1024 && n <= Integer.MAX_VALUE, "between 1k and 2g")
      .register();

  public static final ConfigEntry<Integer> HIGHLY_COMPRESS_ABOVE = intConf("weft.shuffle.mapStatus.highlyCompressAbove")
      .doc("Map outputs with more reduce partitions than this report their block sizes to the driver "
          + "as a bitmap of non-empty blocks, their average size and the exact size of huge blocks, "
          + "instead of one approximate size byte per block.")
      .defaultValue("2000")
      .check(n -> n >= 0, "zero or more")
      .register();

  public static final ConfigEntry<Long> ACCURATE_BLOCK_THRESHOLD = bytesConf("weft.shuffle.mapStatus.accurateBlockThreshold")
      .doc("Blocks larger than this keep their exact size in a highly compressed map status "
          + "(see weft.shuffle.mapStatus.highlyCompressAbove), so a skewed block is not reported as the average.")
      .defaultValue("100m")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Long> INDEX_CACHE_SIZE = bytesConf("weft.shuffle.indexCache.size")
      .doc("Memory of one executor for parsed shuffle index files (8 bytes per reduce partition of "
          + "each map output), so an index is read once per executor rather than once per reduce task; "
          + "least recently used indexes are dropped beyond it.")
      .defaultValue("32m")
      .check(n -> n >= 0, "zero or more")
      .register();

  public static final ConfigEntry<Long> MAX_BYTES_IN_FLIGHT = bytesConf("weft.shuffle.maxBytesInFlight")
      .doc("How many bytes of shuffle blocks a reduce task keeps requested ahead of the block it is "
          + "reading (sizes as the map side reported them), so remote blocks arrive while it "
          + "deserializes; one block is always requested, however large. Like Spark's "
          + "spark.reducer.maxSizeInFlight.")
      .defaultValue("48m")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Integer> MAX_BLOCKS_IN_FLIGHT = intConf("weft.shuffle.maxBlocksInFlight")
      .doc("At most this many shuffle blocks requested ahead by one reduce task, whatever their size: "
          + "bounds the requests one task has outstanding when blocks are tiny.")
      .defaultValue("256")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Integer> BYPASS_MERGE_THRESHOLD = intConf("weft.shuffle.sort.bypassMergeThreshold")
      .doc("A map task whose shuffle neither combines map-side nor has more reduce partitions than this "
          + "serializes each record straight into one file per reduce partition and concatenates them, "
          + "instead of buffering, grouping and spilling the records. Each partition holds an open "
          + "file buffer (weft.shuffle.file.buffer) while the task runs. 0 turns it off. Like "
          + "Spark's spark.shuffle.sort.bypassMergeThreshold.")
      .defaultValue("200")
      .check(n -> n >= 0, "zero or positive")
      .register();

  public static final ConfigEntry<Long> SPILL_INITIAL_THRESHOLD = bytesConf("weft.shuffle.spill.initialMemoryThreshold")
      .doc("A sorter or aggregation does not spill while its in-memory collection is smaller than this "
          + "(nor than 1/64 of the executor's execution memory, so small pools still spill), even when "
          + "the pool grants it nothing: a task whose first sorter holds its share (a shuffle read whose "
          + "output feeds a second shuffle) would otherwise spill its second sorter every few records "
          + "and merge that many files at once. Like Spark's spark.shuffle.spill.initialMemoryThreshold.")
      .defaultValue("5m")
      .check(n -> n >= 0, "zero or more")
      .register();
}
