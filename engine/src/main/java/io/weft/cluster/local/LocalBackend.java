package io.weft.cluster.local;

import io.weft.WeftConf;
import io.weft.cluster.ClusterBackend;
import io.weft.cluster.ExecutorInfo;
import io.weft.cluster.SchedulerCallbacks;
import io.weft.config.ShuffleOptions;
import io.weft.executor.DriverEndpoint;
import io.weft.executor.Executor;
import io.weft.executor.ExecutorEnv;
import io.weft.memory.MemoryStatus;
import io.weft.memory.UnifiedMemoryManager;
import io.weft.scheduler.TaskDescription;
import io.weft.serialization.Serializers;
import io.weft.shuffle.IndexShuffleBlockResolver;
import io.weft.status.ListenerEvent;
import io.weft.shuffle.fetch.LocalShuffleBlockFetcher;
import io.weft.storage.AppScratchDir;
import io.weft.storage.BlockManager;
import io.weft.storage.LocalDirs;

/**
 * Local mode: one executor with N task slots inside the driver's JVM. Tasks still go through
 * serialization, the shuffle writer and files, the block store and the same scheduler as on a
 * cluster; only the transport is a method call. Its files live in the application's
 * {@link AppScratchDir}, removed at stop.
 *
 * <p>Threading: {@link #launchTask} is called on the scheduler thread and only queues the task.
 */
public final class LocalBackend implements ClusterBackend {
  public static final String EXECUTOR_ID = "driver";

  private final WeftConf conf;
  private final int slots;
  private final DriverEndpoint driver;
  private AppScratchDir scratch;
  private LocalDirs dirs;
  private Executor executor;
  private ListenerEvent.ExecutorMemoryUpdated lastMemoryReport;

  public LocalBackend(WeftConf conf, int slots, DriverEndpoint driver) {
    this.conf = conf;
    this.slots = slots;
    this.driver = driver;
  }

  @Override
  public void start(SchedulerCallbacks callbacks) {
    scratch = AppScratchDir.create(conf);
    dirs = LocalDirs.create(scratch.dir(), EXECUTOR_ID);
    UnifiedMemoryManager memory = UnifiedMemoryManager.fromConf(conf, Runtime.getRuntime().maxMemory());
    BlockManager blocks = new BlockManager(dirs, memory, Serializers.fromConf(conf));
    IndexShuffleBlockResolver shuffles = new IndexShuffleBlockResolver(dirs, conf.get(ShuffleOptions.INDEX_CACHE_SIZE));
    ExecutorEnv env = new ExecutorEnv(EXECUTOR_ID, "localhost", 0, conf, dirs, shuffles, blocks,
        memory, new LocalShuffleBlockFetcher(shuffles), driver);
    executor = new Executor(env, slots, Thread.currentThread().getContextClassLoader(), (taskId, outcome) -> {
      callbacks.taskEnded(taskId, outcome);
      reportMemory(env, callbacks);
    });
    callbacks.executorAdded(new ExecutorInfo(EXECUTOR_ID, "localhost", 0, slots));
  }

  /**
   * No heartbeats in local mode: the memory report goes after a task instead, when what it says
   * (pool use, cached datasets) changed or a second has passed, so many short tasks do not flood
   * the listeners.
   */
  private synchronized void reportMemory(ExecutorEnv env, SchedulerCallbacks callbacks) {
    long now = System.currentTimeMillis();
    ListenerEvent.ExecutorMemoryUpdated report = MemoryStatus.of(env, now);
    if (MemoryStatus.worthReporting(lastMemoryReport, report, 1_000)) {
      lastMemoryReport = report;
      callbacks.executorMemory(report);
    }
  }

  @Override
  public void launchTask(String executorId, TaskDescription task) {
    executor.launch(task);
  }

  @Override
  public void killTask(String executorId, long taskId, String reason) {
    executor.kill(taskId);
  }

  @Override
  public void removeShuffle(int shuffleId) {
    executor.env().shuffleResolver().removeShuffle(shuffleId);
  }

  @Override
  public void removeCachedNode(int nodeId) {
    executor.env().blockManager().removeNode(nodeId);
  }

  @Override
  public java.util.concurrent.CompletableFuture<Void> removeBroadcast(long broadcastId) {
    executor.env().removeBroadcast(broadcastId);
    return java.util.concurrent.CompletableFuture.completedFuture(null);
  }

  @Override
  public int defaultParallelism() {
    return slots;
  }

  @Override
  public void stop() {
    if (executor != null) {
      executor.stop();
    }
    if (scratch != null) {
      scratch.close();
    }
  }

  /** The executor's scratch directories (tests check spills are gone). */
  public LocalDirs localDirs() {
    return dirs;
  }
}
