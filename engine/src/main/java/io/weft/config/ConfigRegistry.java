package io.weft.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every declared {@link ConfigEntry}, by key. Option holders register their entries when their
 * class initializes; {@link #all()} first loads every holder listed here so the set is complete.
 * Modules outside the engine (YARN) add their holders through {@link #addHolder}.
 */
public final class ConfigRegistry {
  private static final Map<String, ConfigEntry<?>> ENTRIES = new LinkedHashMap<>();
  private static final List<String> HOLDERS = new ArrayList<>(List.of(
      "io.weft.config.CoreOptions",
      "io.weft.config.SchedulerOptions",
      "io.weft.config.ShuffleOptions",
      "io.weft.config.StorageOptions",
      "io.weft.config.MemoryOptions",
      "io.weft.config.ExecutorOptions",
      "io.weft.config.NetworkOptions",
      "io.weft.config.JoinOptions",
      "io.weft.config.DiagnosisOptions",
      "io.weft.config.FaultToleranceOptions",
      "io.weft.config.UiOptions",
      "io.weft.config.SecurityOptions",
      "io.weft.config.AclOptions",
      "io.weft.yarn.YarnOptions"));

  private ConfigRegistry() {}

  static synchronized void add(ConfigEntry<?> entry) {
    if (ENTRIES.putIfAbsent(entry.key(), entry) != null) {
      throw new IllegalStateException("config key declared twice: " + entry.key());
    }
  }

  public static synchronized void addHolder(String className) {
    HOLDERS.add(className);
  }

  /** All entries of every holder that is on the classpath, sorted by key. */
  public static List<ConfigEntry<?>> all() {
    List<String> holders;
    synchronized (ConfigRegistry.class) {
      holders = List.copyOf(HOLDERS);
    }
    for (String holder : holders) {
      try {
        Class.forName(holder, true, ConfigRegistry.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        // that module is not on this classpath: its keys are simply unknown here
      }
    }
    synchronized (ConfigRegistry.class) {
      List<ConfigEntry<?>> sorted = new ArrayList<>(ENTRIES.values());
      sorted.sort(java.util.Comparator.comparing(ConfigEntry::key));
      return Collections.unmodifiableList(sorted);
    }
  }

  public static boolean isKnown(String key) {
    return all().stream().anyMatch(e -> e.key().equals(key));
  }
}
