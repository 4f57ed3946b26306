package io.weft.executor;

import io.weft.WeftConf;
import io.weft.config.ShuffleOptions;
import io.weft.config.StorageOptions;

/**
 * How an executor divides its heap: a share for shuffle buffers, split evenly between task
 * slots (a static split keeps every task's spill threshold predictable), and a share for cached
 * partitions. The rest is for user code and the engine itself.
 */
public final class MemoryBudget {
  private MemoryBudget() {}

  public static long shuffleMemoryPerTask(WeftConf conf, int slots) {
    Long total = conf.get(ShuffleOptions.MEMORY);
    long bytes = total != null ? total
        : (long) (Runtime.getRuntime().maxMemory() * conf.get(ShuffleOptions.MEMORY_FRACTION));
    return Math.max(1, bytes / Math.max(1, slots));
  }

  public static long storageMemory(WeftConf conf) {
    Long total = conf.get(StorageOptions.MEMORY);
    return total != null ? total
        : (long) (Runtime.getRuntime().maxMemory() * conf.get(StorageOptions.MEMORY_FRACTION));
  }
}
