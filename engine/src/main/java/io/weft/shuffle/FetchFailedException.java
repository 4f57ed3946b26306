package io.weft.shuffle;

/**
 * A reduce task could not read a map output block (its executor is gone, or the file is). The
 * task fails with reason FetchFailed, and the DAG scheduler re-runs the map task that produced the
 * block, then the reduce stage, instead of retrying the reduce task against the same lost block.
 */
public final class FetchFailedException extends RuntimeException {
  private final String executorId;
  private final int shuffleId;
  private final int mapIndex;
  private final int reduceId;

  public FetchFailedException(String executorId, int shuffleId, int mapIndex, int reduceId,
      String message, Throwable cause) {
    super("failed to fetch shuffle " + shuffleId + " map " + mapIndex + " reduce " + reduceId
        + " from executor " + executorId + ": " + message, cause);
    this.executorId = executorId;
    this.shuffleId = shuffleId;
    this.mapIndex = mapIndex;
    this.reduceId = reduceId;
  }

  public String executorId() {
    return executorId;
  }

  public int shuffleId() {
    return shuffleId;
  }

  public int mapIndex() {
    return mapIndex;
  }

  public int reduceId() {
    return reduceId;
  }
}
