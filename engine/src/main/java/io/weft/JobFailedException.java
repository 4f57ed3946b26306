package io.weft;

/**
 * A job could not finish: a task failed {@code weft.task.maxFailures} times, a stage could not be
 * re-run, or the job was cancelled. The message says which task of which stage and why; the cause
 * is the user's own exception (deserialized from the executor) when there is one.
 */
public class JobFailedException extends WeftException {
  public JobFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
