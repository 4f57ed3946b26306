package io.weft;

import io.weft.config.ConfigEntry;
import io.weft.config.ConfigRegistry;
import io.weft.config.CoreOptions;
import java.io.Serializable;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application's configuration: string keys and values, read through typed
 * {@link ConfigEntry} constants.
 *
 * <p>Precedence, lowest first: the entry's default, {@code conf/weft-defaults.conf} and
 * {@code --conf k=v} (both passed by the launcher as {@code weft.*} system properties, which
 * {@code new WeftConf()} loads), then whatever the program sets in code. Unknown {@code weft.*}
 * keys are reported with a warning when a context starts, since a typo otherwise silently
 * changes nothing. The conf travels to executors, so it is serializable.
 */
public final class WeftConf implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(WeftConf.class);

  private final TreeMap<String, String> settings = new TreeMap<>();

  /** A conf holding every {@code weft.*} JVM system property. */
  public WeftConf() {
    this(true);
  }

  public WeftConf(boolean loadSystemProperties) {
    if (loadSystemProperties) {
      Properties props = System.getProperties();
      for (String name : props.stringPropertyNames()) {
        if (name.startsWith("weft.")) {
          settings.put(name, props.getProperty(name));
        }
      }
    }
  }

  public WeftConf set(String key, String value) {
    if (key == null || value == null) {
      throw new IllegalArgumentException("null key or value in WeftConf.set(" + key + ", " + value + ")");
    }
    settings.put(key, value);
    return this;
  }

  public <T> WeftConf set(ConfigEntry<T> entry, T value) {
    return set(entry.key(), String.valueOf(value));
  }

  public WeftConf setMaster(String master) {
    return set(CoreOptions.MASTER.key(), master);
  }

  public WeftConf setAppName(String name) {
    return set(CoreOptions.APP_NAME.key(), name);
  }

  public WeftConf setIfMissing(String key, String value) {
    settings.putIfAbsent(key, value);
    return this;
  }

  public WeftConf remove(String key) {
    settings.remove(key);
    return this;
  }

  /** The typed value of {@code entry}: the setting if present, else its default (maybe null). */
  public <T> T get(ConfigEntry<T> entry) {
    return entry.parse(settings.get(entry.key()));
  }

  public String get(String key) {
    return settings.get(key);
  }

  public String get(String key, String defaultValue) {
    return settings.getOrDefault(key, defaultValue);
  }

  public boolean contains(String key) {
    return settings.containsKey(key);
  }

  public String master() {
    return get(CoreOptions.MASTER);
  }

  public String appName() {
    return get(CoreOptions.APP_NAME);
  }

  /** A sorted copy of every setting. */
  public Map<String, String> getAll() {
    return new TreeMap<>(settings);
  }

  public WeftConf copy() {
    WeftConf c = new WeftConf(false);
    c.settings.putAll(settings);
    return c;
  }

  /** Parses every known setting once (so a bad value fails early, naming its key) and warns about unknown ones. */
  public void validate() {
    for (ConfigEntry<?> entry : ConfigRegistry.all()) {
      get(entry);
    }
    for (String key : settings.keySet()) {
      if (key.startsWith("weft.") && !key.startsWith(CoreOptions.HADOOP_PREFIX)
          && !ConfigRegistry.isKnown(key)) {
        LOG.warn("Unknown configuration key {} (ignored); check its spelling", key);
      }
    }
  }

  @Override
  public String toString() {
    return "WeftConf" + settings;
  }
}
