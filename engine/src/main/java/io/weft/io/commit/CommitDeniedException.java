package io.weft.io.commit;

/**
 * The driver refused to let this task attempt commit its output, because another attempt of the
 * same partition asked first (a speculative copy, or a retry whose first attempt's answer was
 * lost). The attempt's output was already discarded when this is thrown.
 *
 * <p>This is not a task failure in the usual sense: the partition's output is (being) committed
 * by the other attempt. A scheduler should neither count it towards the task's failure limit nor
 * fail the job because of it.
 */
public class CommitDeniedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int stageId;
  private final int partitionId;
  private final int attemptNumber;

  public CommitDeniedException(int stageId, int stageAttempt, int partitionId, int attemptNumber) {
    super("Commit denied for partition " + partitionId + " of stage " + stageId + "." + stageAttempt
        + " (task attempt " + attemptNumber + "): another attempt commits it");
    this.stageId = stageId;
    this.partitionId = partitionId;
    this.attemptNumber = attemptNumber;
  }

  public int stageId() {
    return stageId;
  }

  public int partitionId() {
    return partitionId;
  }

  public int attemptNumber() {
    return attemptNumber;
  }
}
