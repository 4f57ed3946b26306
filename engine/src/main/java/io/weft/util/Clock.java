package io.weft.util;

/** The time, injected into everything that waits, so tests can move it by hand. */
public interface Clock {
  long millis();

  Clock SYSTEM = System::currentTimeMillis;
}
