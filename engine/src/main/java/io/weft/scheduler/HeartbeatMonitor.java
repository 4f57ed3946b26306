package io.weft.scheduler;

import io.weft.util.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When each executor last said it is alive, and which have been silent too long. Registration
 * counts as the first heartbeat, so an executor that hangs right after registering expires too.
 *
 * <p>Example: timeout 120 s; executor 2 registered at t=0 and heartbeat at t=10 s, then its JVM
 * hung. A check at t=129 s finds it silent for 119 s (fine); one at t=131 s finds 121 s and
 * returns it, once.
 *
 * <p>Threading: owned by the scheduler's event thread; time comes from the injected clock.
 */
final class HeartbeatMonitor {
  private final Clock clock;
  private final long timeoutMs;
  private final Map<String, Long> lastSeen = new HashMap<>();

  HeartbeatMonitor(Clock clock, long timeoutMs) {
    this.clock = clock;
    this.timeoutMs = timeoutMs;
  }

  long timeoutMs() {
    return timeoutMs;
  }

  void executorAdded(String executorId) {
    lastSeen.put(executorId, clock.millis());
  }

  /** A heartbeat; ignored for an executor not (or no longer) tracked. */
  void heartbeat(String executorId) {
    lastSeen.computeIfPresent(executorId, (id, t) -> clock.millis());
  }

  void executorRemoved(String executorId) {
    lastSeen.remove(executorId);
  }

  /** Executors silent for longer than the timeout, with how long (ms); they are forgotten. */
  Map<String, Long> takeExpired() {
    long now = clock.millis();
    Map<String, Long> expired = new LinkedHashMap<>();
    lastSeen.forEach((id, t) -> {
      if (now - t > timeoutMs) {
        expired.put(id, now - t);
      }
    });
    expired.keySet().forEach(lastSeen::remove);
    return expired;
  }
}
