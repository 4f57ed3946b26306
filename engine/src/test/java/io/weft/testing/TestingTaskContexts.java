package io.weft.testing;

import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.executor.ExecutorEnv;
import io.weft.memory.UnifiedMemoryManager;
import io.weft.serialization.WeftSerializer;
import io.weft.shuffle.MapOutputLocation;
import io.weft.shuffle.ShuffleBlocks;
import io.weft.config.ShuffleOptions;
import io.weft.shuffle.IndexShuffleBlockResolver;
import io.weft.shuffle.fetch.LocalShuffleBlockFetcher;
import io.weft.storage.BlockManager;
import io.weft.storage.LocalDirs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real one-executor environment for tests (local dirs under a JUnit temp dir, a real block
 * manager and the local shuffle fetcher) and a factory of task contexts on it. No mocks: the
 * tasks it creates read and write real files.
 *
 * <p>Thread-safe for creating contexts; each context belongs to one test thread.
 */
public final class TestingTaskContexts {
  public static final String EXECUTOR_ID = "exec-1";

  private final LocalDirs dirs;
  private final BlockManager blockManager;
  private final ExecutorEnv env;
  private final AtomicLong taskIds = new AtomicLong();

  private TestingTaskContexts(LocalDirs dirs, BlockManager blockManager, ExecutorEnv env) {
    this.dirs = dirs;
    this.blockManager = blockManager;
    this.env = env;
  }

  /**
   * An executor under {@code root} whose memory pool holds at most {@code shuffleMemoryPerTask}
   * bytes of execution memory and {@code cacheMemoryBytes} of cached blocks (as the legacy
   * weft.shuffle.memory and weft.storage.memory settings would).
   */
  public static TestingTaskContexts create(Path root, long shuffleMemoryPerTask, long cacheMemoryBytes) {
    return create(root, shuffleMemoryPerTask, cacheMemoryBytes, new WeftConf(false));
  }

  public static TestingTaskContexts create(Path root, long shuffleMemoryPerTask, long cacheMemoryBytes,
      WeftConf conf) {
    LocalDirs dirs = new LocalDirs(root);
    UnifiedMemoryManager memory = new UnifiedMemoryManager(shuffleMemoryPerTask + cacheMemoryBytes,
        cacheMemoryBytes, shuffleMemoryPerTask, cacheMemoryBytes);
    BlockManager blockManager = new BlockManager(dirs, memory, new WeftSerializer());
    IndexShuffleBlockResolver shuffles = new IndexShuffleBlockResolver(dirs, conf.get(ShuffleOptions.INDEX_CACHE_SIZE));
    ExecutorEnv env = new ExecutorEnv(EXECUTOR_ID, "localhost", 0, conf, dirs, shuffles, blockManager,
        memory, new LocalShuffleBlockFetcher(shuffles), null);
    return new TestingTaskContexts(dirs, blockManager, env);
  }

  public ExecutorEnv env() {
    return env;
  }

  public LocalDirs dirs() {
    return dirs;
  }

  public BlockManager blockManager() {
    return blockManager;
  }

  /** Where this executor's map outputs are, as the driver would tell a reduce task. */
  public MapOutputLocation location() {
    return new MapOutputLocation(EXECUTOR_ID, "localhost", 0);
  }

  /**
   * Every block of reduce partitions [{@code start}, {@code end}) of {@code maps} map outputs on
   * this executor, listed as if none were empty (so the reader opens each one).
   */
  public ShuffleBlocks everyBlock(int shuffleId, int maps, int start, int end) {
    int[] reduces = java.util.stream.IntStream.range(start, end).toArray();
    ShuffleBlocks.Builder b = new ShuffleBlocks.Builder(shuffleId, reduces);
    for (int m = 0; m < maps; m++) {
      for (int r : reduces) {
        b.add(m, r, location(), 1);
      }
    }
    return b.build();
  }

  /** A task of stage 0 computing {@code partition}, reading no shuffle. */
  public TaskContext task(int partition) {
    return task(partition, Map.of());
  }

  /** A task reading {@code blocks} of one shuffle. */
  public TaskContext task(int partition, ShuffleBlocks blocks) {
    return task(partition, Map.of(blocks.shuffleId(), blocks));
  }

  public TaskContext task(int partition, Map<Integer, ShuffleBlocks> shuffleBlocks) {
    return new TaskContext(0, 0, partition, 0, taskIds.incrementAndGet(), env, shuffleBlocks);
  }
}
