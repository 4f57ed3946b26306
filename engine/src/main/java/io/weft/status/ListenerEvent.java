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

  /**
   * An attempt of a stage was handed to the task scheduler. {@code taskBinaryBytes} is the size
   * of its serialized task binary (the stage's lineage and function, shipped with its tasks): in
   * an iterative program it grows with the lineage until a checkpoint cuts it. 0 in event logs
   * written before it was recorded.
   */
  record StageSubmitted(int stageId, int attempt, String name, int numTasks, long timeMs, long taskBinaryBytes)
      implements ListenerEvent {
    /** An attempt whose binary size is not known. */
    public StageSubmitted(int stageId, int attempt, String name, int numTasks, long timeMs) {
      this(stageId, attempt, name, numTasks, timeMs, 0);
    }
  }

  record StageCompleted(int stageId, int attempt, String failure, long timeMs) implements ListenerEvent {}

  /** A task attempt ended; {@code locality} is how close to its data it ran. */
  record TaskEnded(int stageId, int stageAttempt, long taskId, int partition, String executorId,
      boolean succeeded, String failure, TaskMetrics metrics, long timeMs, TaskLocality locality)
      implements ListenerEvent {}

  record ExecutorAdded(String executorId, String host, int slots, long timeMs) implements ListenerEvent {}

  record ExecutorRemoved(String executorId, String reason, long timeMs) implements ListenerEvent {}

  /** One cached dataset's (plan node's) partitions on one executor. */
  record CachedNode(int nodeId, String storageLevel, int memoryPartitions, int diskPartitions,
      long memoryBytes, long diskBytes) {}

  /**
   * How executor {@code executorId}'s memory is used: its pool ({@code weft.memory.size}), the
   * storage (cached blocks) and execution (task buffers) parts of it in use, its heap, and its
   * cached datasets. From each heartbeat; in local mode after each task.
   */
  record ExecutorMemoryUpdated(String executorId, long memoryPoolBytes, long storageUsedBytes,
      long executionUsedBytes, long heapUsedBytes, long maxHeapBytes, List<CachedNode> cached, long timeMs)
      implements ListenerEvent {}

  /** Executor {@code executorId} gets no task until {@code untilMs}: tasks kept failing on it (weft.excludeOnFailure). */
  record ExecutorExcluded(String executorId, String host, String reason, long untilMs, long timeMs)
      implements ListenerEvent {}

  /** Host {@code host} gets no task and no new executor until {@code untilMs} (weft.excludeOnFailure). */
  record HostExcluded(String host, String reason, long untilMs, long timeMs) implements ListenerEvent {}

  /** The exclusion of an executor (host null) or a host (executorId null) ended. */
  record ExclusionEnded(String executorId, String host, long timeMs) implements ListenerEvent {}

  /**
   * The application started: posted by the {@link io.weft.WeftContext} when it is created, before
   * any executor or job event. {@code appId} is YARN's application id, or {@code local-<time>}.
   */
  record ApplicationStarted(String appId, String appName, String user, String master, long timeMs)
      implements ListenerEvent {}

  /** The context closed: the last event of an application. */
  record ApplicationEnded(long timeMs) implements ListenerEvent {}

  /**
   * The application's environment, posted once after {@link ApplicationStarted}: versions
   * ({@code runtime}) and the effective configuration with values whose key matches
   * weft.redaction.regex replaced by {@code *********(redacted)}.
   */
  record EnvironmentUpdated(java.util.Map<String, String> runtime, java.util.Map<String, String> config, long timeMs)
      implements ListenerEvent {}

  /**
   * A stage of a job as planned: its parents (the stages whose shuffle output it reads) and the
   * operations pipelined in its tasks, inputs first. Part of {@link JobPlanned}.
   */
  record StageInfo(int stageId, String name, int numTasks, List<Integer> parentIds, List<String> operations,
      boolean shuffleMap) {}

  /** The DAG of a job, posted right after its {@link JobStarted}: every stage it may run. */
  record JobPlanned(int jobId, List<StageInfo> stages, long timeMs) implements ListenerEvent {}

  /**
   * A task attempt was handed to an executor ({@code attempt}: 0 for the first try of the
   * partition, higher for retries and speculative copies). Its {@link TaskEnded} has the same
   * {@code taskId}.
   */
  record TaskStarted(int stageId, int stageAttempt, long taskId, int partition, int attempt, String executorId,
      String host, TaskLocality locality, long timeMs) implements ListenerEvent {}

  /**
   * Why a finished stage was slow, from its tasks' metrics: one line per finding, with the
   * numbers (skew naming the partition and its heaviest keys, stragglers on one host, GC, shuffle
   * fetch wait, spill, locality misses); empty when nothing stood out. Posted by
   * {@code io.weft.diagnosis.StageDiagnostician} after the stage's {@link StageCompleted}.
   */
  record StageDiagnosed(int stageId, int attempt, java.util.List<String> findings, long timeMs)
      implements ListenerEvent {}
}
