package io.weft.config;

import static io.weft.config.ConfigEntry.bytesConf;
import static io.weft.config.ConfigEntry.doubleConf;

/** Settings of the block store that holds cached partitions. */
public final class StorageOptions {
  private StorageOptions() {}

  public static final ConfigEntry<Double> MEMORY_FRACTION = doubleConf("weft.storage.memoryFraction")
      .doc("Share of the executor's maximum heap for cached partitions; with weft.shuffle.memoryFraction "
          + "it sizes the executor's memory pool, and it is the storage region execution may not evict "
          + "(see weft.memory.storageFraction). Least recently used partitions are evicted (or moved "
          + "to disk for MEMORY_AND_DISK) when memory is short.")
      .defaultValue("0.3")
      .check(f -> f > 0 && f < 1, "between 0 and 1")
      .register();

  public static final ConfigEntry<Long> MEMORY = bytesConf("weft.storage.memory")
      .doc("Cache memory of one executor in bytes; overrides weft.storage.memoryFraction when set, "
          + "and, unless weft.memory.size is set, caps the storage memory of the executor's pool.")
      .check(n -> n > 0, "positive")
      .register();
}
