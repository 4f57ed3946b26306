package io.weft.yarn.client;

import io.weft.yarn.YarnOptions;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.HAUtil;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;

/**
 * Checks, before a command does anything, that the Hadoop configuration names a YARN cluster
 * and that its ResourceManager answers within {@code weft.yarn.connect.timeout}. Without this a
 * client with no {@code HADOOP_CONF_DIR} retries {@code 0.0.0.0:8032} for many minutes without a
 * word, and one pointed at a stopped cluster does the same at the right address.
 *
 * <p>{@link #bounded} is also the configuration short commands (status, kill, logs) use: its
 * retries give up after the timeout. Threading: any. Failure: {@link ClusterUnavailableException}
 * with one message naming the address, where it came from and the setting to change.
 */
final class ClusterConnection {
  private ClusterConnection() {}

  /** The cluster is not configured, or did not answer in time: exit 1, one message. */
  static final class ClusterUnavailableException extends IOException {
    ClusterUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** {@code conf} names a ResourceManager that answered; throws otherwise. */
  static void check(Configuration conf, long timeoutMs) throws ClusterUnavailableException {
    requireConfigured(conf);
    String address = rmAddress(conf);
    try (YarnClient probe = YarnClient.createYarnClient()) {
      probe.init(bounded(conf, timeoutMs));
      probe.start();
      probe.getYarnClusterMetrics();
    } catch (YarnException | IOException | RuntimeException e) {
      throw new ClusterUnavailableException("the YARN ResourceManager at " + address + " did not answer within "
          + timeoutMs + " ms (" + YarnOptions.CONNECT_TIMEOUT.key() + "): " + rootMessage(e)
          + "; is the cluster running, and is " + configSource() + " its configuration?", e);
    }
  }

  /**
   * Fails when no yarn-site.xml (nor {@code -D}) set the ResourceManager's address: the default
   * {@code 0.0.0.0:8032} is never what a user on an edge node means.
   */
  static void requireConfigured(Configuration conf) throws ClusterUnavailableException {
    if (HAUtil.isHAEnabled(conf)) {
      return; // the addresses are per RM id; the probe will tell
    }
    String[] sources = conf.getPropertySources(YarnConfiguration.RM_ADDRESS);
    boolean configured = sources != null && Arrays.stream(sources).anyMatch(s -> !s.equals("yarn-default.xml"));
    if (!configured) {
      throw new ClusterUnavailableException("no YARN cluster is configured: " + YarnConfiguration.RM_ADDRESS
          + " is not set (" + configSource() + "); set HADOOP_CONF_DIR to the directory with the cluster's "
          + "yarn-site.xml and core-site.xml (for an embedded one: weft minicluster --conf-dir DIR)", null);
    }
  }

  /**
   * A copy of {@code conf} whose ResourceManager connection gives up after {@code timeoutMs}:
   * YARN's retry policy is bounded by it and the IPC layer's own per-attempt retries (10 by
   * default, each 1 s or 20 s) are turned off, so the policy alone decides.
   */
  static Configuration bounded(Configuration conf, long timeoutMs) {
    Configuration c = new Configuration(conf);
    c.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_MAX_WAIT_MS, timeoutMs);
    c.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_RETRY_INTERVAL_MS, Math.max(100, Math.min(1000, timeoutMs / 5)));
    c.setLong(YarnConfiguration.CLIENT_FAILOVER_SLEEPTIME_BASE_MS, Math.max(100, Math.min(1000, timeoutMs / 5)));
    c.setInt(CommonConfigurationKeysPublic.IPC_CLIENT_CONNECT_MAX_RETRIES_KEY, 0);
    c.setInt(CommonConfigurationKeysPublic.IPC_CLIENT_CONNECT_MAX_RETRIES_ON_SOCKET_TIMEOUTS_KEY, 0);
    c.setInt(CommonConfigurationKeysPublic.IPC_CLIENT_CONNECT_TIMEOUT_KEY, (int) Math.min(timeoutMs, 20_000));
    return c;
  }

  static String rmAddress(Configuration conf) {
    return conf.getTrimmed(YarnConfiguration.RM_ADDRESS, YarnConfiguration.DEFAULT_RM_ADDRESS);
  }

  /** Where the client's configuration came from, for messages. */
  static String configSource() {
    String hadoop = System.getenv("HADOOP_CONF_DIR");
    String yarn = System.getenv("YARN_CONF_DIR");
    if (hadoop == null && yarn == null) {
      return "HADOOP_CONF_DIR and YARN_CONF_DIR are unset";
    }
    return (hadoop != null ? "HADOOP_CONF_DIR=" + hadoop : "")
        + (hadoop != null && yarn != null ? ", " : "") + (yarn != null ? "YARN_CONF_DIR=" + yarn : "");
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
  }
}
