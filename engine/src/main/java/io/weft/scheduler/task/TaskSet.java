package io.weft.scheduler.task;

import io.weft.shuffle.MapOutputLocation;
import java.util.List;
import java.util.Map;

/**
 * The tasks of one stage attempt, as the DAG scheduler hands them to the task scheduler: for each
 * task its partition (index and serialized form) and preferred locations, plus what all of them
 * share (the stage binary and the map output locations of the shuffles the stage reads).
 */
public record TaskSet(
    int stageId,
    int stageAttempt,
    int jobId,
    boolean shuffleMapStage,
    byte[] taskBinary,
    List<PendingTask> tasks,
    Map<Integer, List<MapOutputLocation>> mapOutputs) {

  /** One task: which partition, its serialized {@code Partition}, where it would like to run. */
  public record PendingTask(int partitionIndex, byte[] partition, List<TaskLocation> preferred) {}

  public String name() {
    return "stage " + stageId + "." + stageAttempt;
  }
}
