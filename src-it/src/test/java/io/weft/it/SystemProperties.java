package io.weft.it;

import java.util.HashMap;
import java.util.Map;

/**
 * Runs code with some JVM system properties set, then restores them. The examples build their
 * {@code WeftConf} from {@code weft.*} system properties, as under {@code bin/weft submit}, so
 * this is how a test chooses their master and scratch directory without changing them.
 */
final class SystemProperties {
  private SystemProperties() {}

  /** Code that may throw anything (an example's {@code main}). */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  static void with(Map<String, String> properties, Action action) throws Exception {
    Map<String, String> previous = new HashMap<>();
    properties.forEach((k, v) -> previous.put(k, System.setProperty(k, v)));
    try {
      action.run();
    } finally {
      previous.forEach((k, v) -> {
        if (v == null) {
          System.clearProperty(k);
        } else {
          System.setProperty(k, v);
        }
      });
    }
  }
}
