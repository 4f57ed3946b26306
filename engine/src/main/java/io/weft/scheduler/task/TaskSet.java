package io.weft.scheduler.task;

import io.weft.scheduler.ShuffleReads;
import java.util.List;

/**
 * The tasks of one stage attempt, as the DAG scheduler hands them to the task scheduler: for each
 * task its partition (index and serialized form) and preferred locations, plus what all of them
 * share (the stage binary, and what the stage reads of earlier shuffles: {@link ShuffleReads}
 * gives each task, at launch, the non-empty blocks it has to fetch).
 */
public record TaskSet(
    int stageId,
    int stageAttempt,
    int jobId,
    boolean shuffleMapStage,
    byte[] taskBinary,
    List<PendingTask> tasks,
    ShuffleReads shuffleReads) {

  /** One task: which partition, its serialized {@code Partition}, where it would like to run. */
  public record PendingTask(int partitionIndex, byte[] partition, List<TaskLocation> preferred) {}

  public String name() {
    return "stage " + stageId + "." + stageAttempt;
  }
}
