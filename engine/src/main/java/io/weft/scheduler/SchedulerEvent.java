package io.weft.scheduler;

import io.weft.cluster.ExecutorInfo;
import io.weft.plan.Node;

/**
 * Everything the scheduler reacts to. Events are posted from any thread and handled one at a
 * time on the scheduler's event thread, which owns all scheduling state.
 */
public sealed interface SchedulerEvent {
  /** Sent by {@code WeftContext.runJob} on the caller's thread, after the lineage's partitions were computed. */
  record JobSubmitted(int jobId, Node<?> finalNode, ResultFn<?, ?> fn, int[] partitions,
      JobWaiter waiter, String callSite, JobGroup group) implements SchedulerEvent {
    /** A job in no group. */
    public JobSubmitted(int jobId, Node<?> finalNode, ResultFn<?, ?> fn, int[] partitions, JobWaiter waiter,
        String callSite) {
      this(jobId, finalNode, fn, partitions, waiter, callSite, null);
    }
  }

  /**
   * Sent by {@code WeftContext}: a job id cancels that job ({@code cancelJob}); a negative id
   * fails every job with {@code reason} (the context is closing).
   */
  record JobCancelled(int jobId, String reason) implements SchedulerEvent {}

  /**
   * Sent by {@code WeftContext.cancelJobGroup} (a group id) or {@code cancelAllJobs} (a null
   * group id): cancel the matching running jobs; the context stays open.
   */
  record JobGroupCancelled(String groupId, String reason) implements SchedulerEvent {}

  /**
   * Sent by the context cleaner: no dataset of the program refers to shuffle {@code shuffleId}
   * any more, so its files and map-output registrations can go.
   */
  record ShuffleUnreachable(int shuffleId) implements SchedulerEvent {}

  /**
   * Sent by the context cleaner: a local checkpoint is no longer referenced; its files (kept as
   * shuffle {@code shuffleId}, never registered as map outputs) go from every executor.
   */
  record LocalCheckpointUnreachable(int shuffleId) implements SchedulerEvent {}

  /**
   * Sent by {@link io.weft.status.StatusTracker}: complete {@code result} with counts of what the
   * scheduler holds, read on its own thread.
   */
  record StateQueried(java.util.concurrent.CompletableFuture<io.weft.status.StatusTracker.SchedulerState> result)
      implements SchedulerEvent {}

  /** Sent by the cluster backend: an executor registered. */
  record ExecutorAdded(ExecutorInfo executor) implements SchedulerEvent {}

  /** Sent by the cluster backend: an executor died or was removed. */
  record ExecutorLost(String executorId, String reason) implements SchedulerEvent {}

  /** Sent by the cluster backend: an executor said it is alive. */
  record HeartbeatReceived(String executorId) implements SchedulerEvent {}

  /**
   * Sent by the cluster backend: no executor is left and none can be started any more, so every
   * job must fail with {@code reason}.
   */
  record ExecutorsExhausted(String reason) implements SchedulerEvent {}

  /** Sent by the scheduler to itself periodically: time to look for executors that went silent. */
  record HeartbeatTimerFired() implements SchedulerEvent {}

  /** Sent by the cluster backend: a task attempt ended. */
  record TaskEnded(long taskId, TaskOutcome outcome) implements SchedulerEvent {}

  /**
   * Sent by the scheduler to itself after a delay: a locality wait may have expired, so waiting
   * tasks may now run at a worse locality level; or a speculation check is due (weft.speculation).
   */
  record LocalityTimerFired() implements SchedulerEvent {}

  /** Sent by the scheduler to itself shortly after a fetch failure, to re-run the failed stages. */
  record ResubmitFailedStages() implements SchedulerEvent {}

  /**
   * Sent by {@code Dataset.unpersist} and the context cleaner: drop the cached partitions of node
   * {@code nodeId}. {@code done}, when not null, completes once every executor confirmed
   * ({@code unpersist(true)}).
   */
  record NodeUnpersisted(int nodeId, java.util.concurrent.CompletableFuture<Void> done) implements SchedulerEvent {
    public NodeUnpersisted(int nodeId) {
      this(nodeId, null);
    }

    /** Completes {@link #done} (if any) as {@code removal} does. */
    void confirmWhen(java.util.concurrent.CompletableFuture<Void> removal) {
      relay(removal, done);
    }
  }

  /**
   * Sent by {@code Broadcast.unpersist/destroy} and the context cleaner: every executor drops its
   * copy of broadcast {@code broadcastId}; {@code done} completes once they all confirmed.
   */
  record BroadcastRemoved(long broadcastId, java.util.concurrent.CompletableFuture<Void> done) implements SchedulerEvent {
    /** Completes {@link #done} (if any) as {@code removal} does. */
    void confirmWhen(java.util.concurrent.CompletableFuture<Void> removal) {
      relay(removal, done);
    }
  }

  private static void relay(java.util.concurrent.CompletableFuture<Void> from,
      java.util.concurrent.CompletableFuture<Void> to) {
    if (to != null) {
      from.whenComplete((ok, error) -> {
        if (error != null) {
          to.completeExceptionally(error);
        } else {
          to.complete(null);
        }
      });
    }
  }
}
