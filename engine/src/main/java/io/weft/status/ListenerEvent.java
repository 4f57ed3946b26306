package io.weft.status;

import io.weft.executor.TaskMetrics;
import io.weft.scheduler.task.TaskLocality;
import java.util.List;

/**
 * What happened in the scheduler, for listeners: progress reporting now, the event log and the
 * web UI later. Posted by the DAG scheduler on its thread; delivered asynchronously.
 */
public sealed interface ListenerEvent {
  record JobStarted(int jobId, List<Integer> stageIds, String callSite, long timeMs) implements ListenerEvent {}

  record JobEnded(int jobId, boolean succeeded, String failure, long timeMs) implements ListenerEvent {}

  record StageSubmitted(int stageId, int attempt, String name, int numTasks, long timeMs)
      implements ListenerEvent {}

  record StageCompleted(int stageId, int attempt, String failure, long timeMs) implements ListenerEvent {}

  /** A task attempt ended; {@code locality} is how close to its data it ran. */
  record TaskEnded(int stageId, int stageAttempt, long taskId, int partition, String executorId,
      boolean succeeded, String failure, TaskMetrics metrics, long timeMs, TaskLocality locality)
      implements ListenerEvent {}

  record ExecutorAdded(String executorId, String host, int slots, long timeMs) implements ListenerEvent {}

  record ExecutorRemoved(String executorId, String reason, long timeMs) implements ListenerEvent {}

  /** Executor {@code executorId} gets no task until {@code untilMs}: tasks kept failing on it (weft.excludeOnFailure). */
  record ExecutorExcluded(String executorId, String host, String reason, long untilMs, long timeMs)
      implements ListenerEvent {}

  /** Host {@code host} gets no task and no new executor until {@code untilMs} (weft.excludeOnFailure). */
  record HostExcluded(String host, String reason, long untilMs, long timeMs) implements ListenerEvent {}

  /** The exclusion of an executor (host null) or a host (executorId null) ended. */
  record ExclusionEnded(String executorId, String host, long timeMs) implements ListenerEvent {}

  /**
   * Why a finished stage was slow, from its tasks' metrics: one line per finding, with the
   * numbers (skew naming the partition and its heaviest keys, stragglers on one host, GC, shuffle
   * fetch wait, spill, locality misses); empty when nothing stood out. Posted by
   * {@code io.weft.diagnosis.StageDiagnostician} after the stage's {@link StageCompleted}.
   */
  record StageDiagnosed(int stageId, int attempt, java.util.List<String> findings, long timeMs)
      implements ListenerEvent {}
}
