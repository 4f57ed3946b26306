package io.weft.status;

import io.weft.WeftConf;
import io.weft.config.UiOptions;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's own events around its jobs: {@link ListenerEvent.ApplicationStarted} and
 * {@link ListenerEvent.EnvironmentUpdated} when the context starts, {@link
 * ListenerEvent.ApplicationEnded} when it closes, and the event log (weft.eventLog.*) that
 * records them all.
 *
 * <p>Threading: {@link #start} and {@link #end} run on the thread creating or closing the context.
 */
public final class ApplicationEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ApplicationEvents.class);
  public static final String REDACTED = "*********(redacted)";

  private final ListenerBus bus;
  private final EventLogWriter log;

  private ApplicationEvents(ListenerBus bus, EventLogWriter log) {
    this.bus = bus;
    this.log = log;
  }

  /** Opens the event log if enabled (a failure to open it is logged, not thrown) and posts the start. */
  public static ApplicationEvents start(WeftConf conf, Configuration hadoopConf, ListenerBus bus) {
    String appId = conf.get(UiOptions.APP_ID);
    long now = System.currentTimeMillis();
    if (appId == null) {
      appId = "local-" + now;
    }
    Boolean enabled = conf.get(UiOptions.EVENT_LOG_ENABLED);
    EventLogWriter log = null;
    if (enabled != null ? enabled : conf.master().startsWith("yarn")) {
      try {
        // a later ApplicationMaster attempt writes a log of its own: the dead attempt's file may
        // still be leased on HDFS, and is its history
        int attempt = conf.get(io.weft.config.FaultToleranceOptions.RECOVERY_ATTEMPT);
        String logName = attempt > 1 ? appId + "_" + attempt : appId;
        log = EventLogWriter.create(hadoopConf, conf.get(UiOptions.EVENT_LOG_DIR), logName,
            conf.get(UiOptions.EVENT_LOG_COMPRESS));
        bus.addListener(log);
      } catch (IOException | RuntimeException e) {
        LOG.warn("No event log: cannot create it in {} ({}): {}", conf.get(UiOptions.EVENT_LOG_DIR),
            UiOptions.EVENT_LOG_DIR.key(), e.toString());
      }
    }
    bus.post(new ListenerEvent.ApplicationStarted(appId, conf.appName(), user(), conf.master(), now));
    bus.post(new ListenerEvent.EnvironmentUpdated(runtime(), redact(conf.getAll(),
        Pattern.compile(conf.get(UiOptions.REDACTION_REGEX))), now));
    return new ApplicationEvents(bus, log);
  }

  /** Posts the end, waits (bounded) for the bus to deliver it, and closes the log. */
  public void end() {
    bus.post(new ListenerEvent.ApplicationEnded(System.currentTimeMillis()));
    if (!bus.waitUntilEmpty(30_000)) {
      LOG.warn("Listener events still queued after 30 s; the event log ends without them");
    }
    if (log != null) {
      bus.removeListener(log);
      log.close();
    }
  }

  /** {@code settings} sorted by key, with the values of keys matching {@code secret} replaced. */
  public static Map<String, String> redact(Map<String, String> settings, Pattern secret) {
    Map<String, String> out = new TreeMap<>();
    settings.forEach((k, v) -> out.put(k, secret.matcher(k).find() ? REDACTED : v));
    return out;
  }

  /** The Hadoop user the application runs as (on YARN the submitter, not the NodeManager's account). */
  private static String user() {
    try {
      return org.apache.hadoop.security.UserGroupInformation.getCurrentUser().getShortUserName();
    } catch (IOException e) {
      return System.getProperty("user.name");
    }
  }

  private static Map<String, String> runtime() {
    Map<String, String> m = new LinkedHashMap<>();
    Package p = ApplicationEvents.class.getPackage();
    String version = p == null ? null : p.getImplementationVersion();
    m.put("Weft version", version == null ? "unknown" : version);
    m.put("Java version", Runtime.version().toString());
    m.put("Java home", System.getProperty("java.home"));
    m.put("Java vendor", System.getProperty("java.vendor"));
    m.put("Hadoop client version", org.apache.hadoop.util.VersionInfo.getVersion());
    m.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("Max heap", Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
    return m;
  }
}
