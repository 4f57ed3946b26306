package io.weft.testing;

import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.executor.DriverEndpoint;
import io.weft.executor.ExecutorEnv;
import io.weft.storage.LocalDirs;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds the pieces a task needs, for tests that compute partitions without a scheduler: a
 * driver context, an executor environment in a temporary directory and task contexts.
 * Keeping their construction here means a change of those constructors touches one file.
 */
public final class TestingTasks {
  private static final AtomicLong TASK_IDS = new AtomicLong();

  private TestingTasks() {}

  /** A local[1] driver context for building nodes (daemon threads; tests need not close it). */
  public static WeftContext newContext() {
    return WeftContext.create(new WeftConf(false).setMaster("local[1]").setAppName("test"));
  }

  /** An executor environment with no block store and no shuffle fetcher. */
  public static ExecutorEnv executorEnv(Path localDir, DriverEndpoint driver) {
    return new ExecutorEnv("exec-1", "localhost", 0, new WeftConf(false), new LocalDirs(localDir),
        null, null, 1 << 20, null, driver);
  }

  /** Attempt {@code attempt} of {@code partition} in attempt 0 of stage 0. */
  public static TaskContext task(ExecutorEnv env, int partition, int attempt) {
    return task(env, 0, 0, partition, attempt);
  }

  public static TaskContext task(ExecutorEnv env, int stageId, int stageAttempt, int partition, int attempt) {
    return new TaskContext(stageId, stageAttempt, partition, attempt, TASK_IDS.incrementAndGet(), env, Map.of());
  }

  /** Every record of every partition of {@code node}, in partition order, each partition in its own task. */
  public static <T> java.util.List<T> readAll(io.weft.plan.Node<T> node, ExecutorEnv env) {
    java.util.List<T> all = new java.util.ArrayList<>();
    for (io.weft.plan.Partition p : node.partitions()) {
      TaskContext task = task(env, p.index(), 0);
      try {
        node.compute(p, task).forEachRemaining(all::add);
      } finally {
        task.markCompleted();
      }
    }
    return all;
  }
}
