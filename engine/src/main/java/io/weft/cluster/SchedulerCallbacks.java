package io.weft.cluster;

import io.weft.scheduler.TaskOutcome;

/**
 * How a {@link ClusterBackend} reports to the scheduler. Every method may be called from any
 * thread (a task thread, a network thread, a YARN callback thread); implementations only post an
 * event to the scheduler's event loop and return at once.
 */
public interface SchedulerCallbacks {
  /** An executor is up and may be given tasks. */
  void executorAdded(ExecutorInfo executor);

  /** An executor is gone, with its running tasks, cached blocks and shuffle files. */
  void executorLost(String executorId, String reason);

  /** A task attempt ended, successfully or not. */
  void taskEnded(long taskId, TaskOutcome outcome);

  /**
   * An executor said it is alive (only from backends whose {@link ClusterBackend#executorsHeartbeat()}
   * is true). One that stays silent for {@code weft.executor.heartbeatTimeout} is declared lost.
   */
  void executorHeartbeat(String executorId);

  /**
   * How an executor's memory is used (its pool, cached datasets, heap), for the UI; sent with
   * heartbeats, and by the local backend after each task. Informational: nothing schedules on it.
   */
  default void executorMemory(io.weft.status.ListenerEvent.ExecutorMemoryUpdated update) {}

  /**
   * No executor is left and the backend will start no more (its replacement budget is used up,
   * or it cannot replace executors at all), so no task can ever run again. The scheduler fails
   * every active job, and each later one, with {@code reason}. Called after the
   * {@link #executorLost} of the last executor.
   */
  void executorsExhausted(String reason);
}
