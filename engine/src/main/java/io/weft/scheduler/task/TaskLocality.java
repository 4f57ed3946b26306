package io.weft.scheduler.task;

/**
 * How close a task ran to its data, best first. PROCESS_LOCAL: the partition is cached in that
 * executor; NODE_LOCAL: its input is on that host (an HDFS block, a cached copy in another
 * executor there); NO_PREF: the task prefers no place (it reads only shuffle output, say), so it
 * never waits and is as local anywhere; RACK_LOCAL: on a rack holding its input; ANY: anywhere.
 *
 * <p>Delay scheduling ({@link TaskSetManager}) waits at PROCESS_LOCAL, NODE_LOCAL and RACK_LOCAL;
 * NO_PREF sits between NODE_LOCAL and RACK_LOCAL as in Spark: a slot free of better work takes a
 * no-preference task before it takes a remote one.
 */
public enum TaskLocality {
  PROCESS_LOCAL,
  NODE_LOCAL,
  NO_PREF,
  RACK_LOCAL,
  ANY;

  public boolean isAtMost(TaskLocality other) {
    return ordinal() <= other.ordinal();
  }
}
