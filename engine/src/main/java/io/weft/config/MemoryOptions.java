package io.weft.config;

import static io.weft.config.ConfigEntry.bytesConf;
import static io.weft.config.ConfigEntry.doubleConf;

/**
 * Settings of an executor's unified memory pool ({@code io.weft.memory.UnifiedMemoryManager}),
 * shared by execution (sorters, aggregation maps, join buffers) and storage (cached blocks).
 * Unset, the pool is the sum of the shuffle and storage sizes of {@link ShuffleOptions} and
 * {@link StorageOptions}, so configurations written for the earlier static split keep working.
 */
public final class MemoryOptions {
  private MemoryOptions() {}

  public static final ConfigEntry<Long> SIZE = bytesConf("weft.memory.size")
      .doc("Memory pool of one executor in bytes, shared by execution (shuffle sorters, aggregation "
          + "maps, join buffers: each running task may hold between 1/2N and 1/N of it) and cached "
          + "blocks. When unset: weft.shuffle.memory(Fraction) plus weft.storage.memory(Fraction), and "
          + "an explicitly set weft.shuffle.memory or weft.storage.memory also caps its side.")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Double> STORAGE_FRACTION = doubleConf("weft.memory.storageFraction")
      .doc("Share of the executor's memory pool whose cached blocks execution may not evict (cached "
          + "blocks beyond it are evicted when a task needs the memory). When unset: the storage size's "
          + "share of shuffle plus storage (0.5 by default).")
      .check(f -> f >= 0 && f <= 1, "between 0 and 1")
      .register();
}
