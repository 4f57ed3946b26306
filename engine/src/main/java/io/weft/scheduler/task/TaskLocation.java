package io.weft.scheduler.task;

/**
 * Where a task would like to run: a host, and optionally the executor on it that caches the
 * task's partition (then the task is PROCESS_LOCAL there).
 */
public record TaskLocation(String host, String executorId) {
  public static TaskLocation host(String host) {
    return new TaskLocation(host, null);
  }
}
