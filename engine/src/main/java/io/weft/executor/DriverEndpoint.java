package io.weft.executor;

/**
 * What a task may ask the driver while it runs. In local mode this is a direct call; on a
 * cluster it is an authenticated request over the control connection.
 *
 * <p>Called from task threads; blocks until the driver answers.
 */
public interface DriverEndpoint {
  /**
   * Whether this attempt may commit its output for {@code partition}. The first attempt to ask
   * wins; a later attempt (a retry after a lost answer, a duplicate) is refused, so output is
   * never committed twice.
   */
  boolean canCommit(int stageId, int stageAttempt, int partition, int attemptNumber);

  /** The serialized value of broadcast variable {@code id}. */
  byte[] fetchBroadcast(long id);
}
