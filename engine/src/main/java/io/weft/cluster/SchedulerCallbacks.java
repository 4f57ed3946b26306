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
}
