package io.weft.executor;

/**
 * Thrown at a record boundary when the task's thread was interrupted (its job was cancelled or
 * failed, or another attempt won): the executor reports the task killed, not failed, because the
 * cause is an {@link InterruptedException}.
 */
public final class TaskInterruptedException extends RuntimeException {
  public TaskInterruptedException() {
    super("task interrupted", new InterruptedException("the task was killed"));
  }
}
