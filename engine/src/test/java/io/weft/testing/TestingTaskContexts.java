package io.weft.testing;

import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.executor.ExecutorEnv;
import io.weft.serialization.WeftSerializer;
import io.weft.shuffle.MapOutputLocation;
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

  /** An executor under {@code root} with the given shuffle memory per task and cache memory. */
  public static TestingTaskContexts create(Path root, long shuffleMemoryPerTask, long cacheMemoryBytes) {
    return create(root, shuffleMemoryPerTask, cacheMemoryBytes, new WeftConf(false));
  }

  public static TestingTaskContexts create(Path root, long shuffleMemoryPerTask, long cacheMemoryBytes,
      WeftConf conf) {
    LocalDirs dirs = new LocalDirs(root);
    BlockManager blockManager = new BlockManager(dirs, cacheMemoryBytes, new WeftSerializer());
    ExecutorEnv env = new ExecutorEnv(EXECUTOR_ID, "localhost", 0, conf, dirs, blockManager,
        shuffleMemoryPerTask, new LocalShuffleBlockFetcher(dirs), null);
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

  /** {@code maps} map outputs, all on this executor. */
  public List<MapOutputLocation> locations(int maps) {
    return java.util.Collections.nCopies(maps, location());
  }

  /** A task of stage 0 computing {@code partition}, reading no shuffle. */
  public TaskContext task(int partition) {
    return task(partition, Map.of());
  }

  /** A task reading shuffle {@code shuffleId}, whose map outputs are {@code locations}. */
  public TaskContext task(int partition, int shuffleId, List<MapOutputLocation> locations) {
    return task(partition, Map.of(shuffleId, locations));
  }

  public TaskContext task(int partition, Map<Integer, List<MapOutputLocation>> mapOutputs) {
    return new TaskContext(0, 0, partition, 0, taskIds.incrementAndGet(), env, mapOutputs);
  }
}
