package io.weft.executor;

/**
 * An executor's count of heartbeats in a row that got no reply, against
 * {@code weft.executor.heartbeat.maxFailures}: one lost reply (a driver in a long GC pause, a
 * congested network) must not end an executor that still runs tasks; {@code max} in a row do.
 *
 * <p>Example: max 3: fail, fail, reply (count back to 0), fail, fail, fail: give up.
 *
 * <p>Threading: used by the executor's heartbeat thread only.
 */
final class HeartbeatFailures {
  private final int max;
  private int inARow;

  HeartbeatFailures(int max) {
    this.max = max;
  }

  void replied() {
    inARow = 0;
  }

  /** A heartbeat failed; true when that makes {@code max} in a row and the executor should stop. */
  boolean failed() {
    return ++inARow >= max;
  }

  int inARow() {
    return inARow;
  }

  int max() {
    return max;
  }
}
