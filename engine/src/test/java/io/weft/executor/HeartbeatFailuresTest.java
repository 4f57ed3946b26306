package io.weft.executor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.config.ExecutorOptions;
import org.junit.jupiter.api.Test;

/** An executor gives up only after weft.executor.heartbeat.maxFailures failed heartbeats in a row. */
class HeartbeatFailuresTest {
  @Test
  void onlyFailuresInARowCount() {
    HeartbeatFailures f = new HeartbeatFailures(3);
    assertFalse(f.failed());
    assertFalse(f.failed());
    f.replied();
    assertFalse(f.failed(), "a reply starts the count again");
    assertFalse(f.failed());
    assertTrue(f.failed(), "the third in a row ends the executor");
  }

  @Test
  void defaultToleratesSixtyLikeSpark() {
    int max = new WeftConf(false).get(ExecutorOptions.HEARTBEAT_MAX_FAILURES);
    HeartbeatFailures f = new HeartbeatFailures(max);
    for (int i = 1; i < 60; i++) {
      assertFalse(f.failed(), "failure " + i);
    }
    assertTrue(f.failed());
  }
}
