package io.weft.scheduler;

import io.weft.JobFailedException;

/**
 * A running job: its result stage, which of its outputs are done, and the waiter to complete.
 * Output i is partition {@code finalStage.partitions()[i]} of the final node.
 *
 * <p>Threading: owned by the scheduler's event thread.
 */
final class ActiveJob {
  final int jobId;
  final Stage.ResultStage finalStage;
  final JobWaiter waiter;
  final String callSite;
  /** The group the job was submitted in, or null. */
  final JobGroup group;
  /** Bytes of serialized results the driver holds for this job (weft.driver.maxResultSize bounds it). */
  long resultBytes;
  final boolean[] finished;
  int numFinished;
  final long startTimeMs;
  /** Set when the job failed while some of its tasks still ran: the failure waits for them. */
  JobFailedException failure;
  final java.util.Set<Long> tasksToDrain = new java.util.HashSet<>();

  ActiveJob(int jobId, Stage.ResultStage finalStage, JobWaiter waiter, String callSite, JobGroup group,
      long startTimeMs) {
    this.jobId = jobId;
    this.group = group;
    this.finalStage = finalStage;
    this.waiter = waiter;
    this.callSite = callSite;
    this.finished = new boolean[finalStage.partitions().length];
    this.startTimeMs = startTimeMs;
  }

  boolean allFinished() {
    return numFinished == finished.length;
  }
}
