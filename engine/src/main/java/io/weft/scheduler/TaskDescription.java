package io.weft.scheduler;

import io.weft.shuffle.MapOutputLocation;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Everything an executor needs to run one task attempt. The task binary (lineage plus user
 * function, serialized once per stage attempt) is shared by all tasks of the stage; the partition
 * is serialized per task; {@code mapOutputs} lists, per shuffle the stage reads, where each map
 * output is.
 */
public record TaskDescription(
    long taskId,
    int attemptNumber,
    int stageId,
    int stageAttempt,
    int partitionIndex,
    boolean shuffleMapTask,
    byte[] taskBinary,
    byte[] partition,
    Map<Integer, List<MapOutputLocation>> mapOutputs) implements Serializable {

  @Override
  public String toString() {
    return "task " + taskId + " (stage " + stageId + "." + stageAttempt + ", partition "
        + partitionIndex + ", attempt " + attemptNumber + ")";
  }
}
