package io.weft.scheduler.task;

/**
 * How close a task runs to its data, best first. PROCESS_LOCAL: the partition is cached in that
 * executor; NODE_LOCAL: its input is on that host (an HDFS block, a cached copy in another
 * executor there); RACK_LOCAL: on that rack; ANY: anywhere.
 */
public enum TaskLocality {
  PROCESS_LOCAL,
  NODE_LOCAL,
  RACK_LOCAL,
  ANY;

  public boolean isAtMost(TaskLocality other) {
    return ordinal() <= other.ordinal();
  }
}
