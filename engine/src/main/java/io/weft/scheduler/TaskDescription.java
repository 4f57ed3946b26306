package io.weft.scheduler;

import io.weft.shuffle.ShuffleBlocks;
import java.io.Serializable;
import java.util.Map;

/**
 * Everything an executor needs to run one task attempt. The task binary (lineage plus user
 * function, serialized once per stage attempt) is shared by all tasks of the stage; the partition
 * is serialized per task; {@code shuffleBlocks} lists, per shuffle the stage reads, the non-empty
 * blocks of the reduce partitions this task reads, with their map outputs' locations.
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
    Map<Integer, ShuffleBlocks> shuffleBlocks) implements Serializable {

  @Override
  public String toString() {
    return "task " + taskId + " (stage " + stageId + "." + stageAttempt + ", partition "
        + partitionIndex + ", attempt " + attemptNumber + ")";
  }
}
