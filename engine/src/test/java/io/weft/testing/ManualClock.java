package io.weft.testing;

import io.weft.util.Clock;

/** A clock that moves only when a test says so. */
public final class ManualClock implements Clock {
  private long now;

  public ManualClock(long start) {
    this.now = start;
  }

  @Override
  public synchronized long millis() {
    return now;
  }

  public synchronized void advance(long ms) {
    now += ms;
  }
}
