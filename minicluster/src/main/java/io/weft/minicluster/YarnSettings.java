package io.weft.minicluster;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.capacity.CapacityScheduler;

/**
 * The YARN settings an embedded cluster needs on a small (2-core) machine, each one a fact
 * verified in /work/shared/MINICLUSTER.md and docs/MINICLUSTER-NOTES.md. Kept in one place so
 * that the tests and {@code bin/weft minicluster} cannot drift apart.
 *
 * <p>Threading: stateless; {@link #apply} mutates only the configuration it is given.
 */
final class YarnSettings {
  static final int MIN_ALLOCATION_MB = 64;
  static final int MAX_ALLOCATION_MB = 2048;
  static final int MAX_ALLOCATION_VCORES = 4;
  static final int NODE_MANAGER_VCORES = 4;
  /** MiniYARNCluster forces this per NodeManager; our extra NodeManagers use the same. */
  static final int NODE_MANAGER_MEMORY_MB = 4096;

  private static final String CS = "yarn.scheduler.capacity.";

  private YarnSettings() {}

  /**
   * Applies every setting to {@code conf}.
   *
   * @param nodeLocalityDelay the capacity scheduler's node-locality-delay, or {@code null} for
   *     Hadoop's default; -1 lets strict rack requests be allocated but disables the
   *     scheduler's own delay scheduling
   */
  static void apply(Configuration conf, Integer nodeLocalityDelay) {
    conf.setClass(YarnConfiguration.RM_SCHEDULER, CapacityScheduler.class, Object.class);
    defineDefaultQueue(conf);
    if (nodeLocalityDelay != null) {
      conf.setInt(CS + "node-locality-delay", nodeLocalityDelay);
    }
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, MIN_ALLOCATION_MB);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, MAX_ALLOCATION_MB);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_VCORES, 1);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_VCORES, MAX_ALLOCATION_VCORES);
    conf.setInt(YarnConfiguration.NM_VCORES, NODE_MANAGER_VCORES);
    // A nearly full /tmp would otherwise mark every NodeManager unhealthy: no containers at all.
    conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100.0f);
    conf.setLong(YarnConfiguration.NM_MIN_PER_DISK_FREE_SPACE_MB, 0);
    // Allocation happens on NodeManager heartbeats: 100 ms makes a request ~0.5 s, not seconds.
    conf.setLong(YarnConfiguration.RM_NM_HEARTBEAT_INTERVAL_MS, 100);
    // Killing containers (and so stopping the cluster) waits these out; defaults are seconds.
    conf.setLong(YarnConfiguration.NM_SLEEP_DELAY_BEFORE_SIGKILL_MS, 100);
    conf.setLong(YarnConfiguration.NM_PROCESS_KILL_WAIT_MS, 200);
    keepLogsWithoutSlowingStop(conf);
    aggregateLogsIntoHdfs(conf);
    conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    ensureContainerJavaHome(conf);
  }

  /**
   * {@code capacity-scheduler.xml} is not in the minicluster jar, so the queue must be defined
   * here; without maximum-am-resource-percent 1.0 applications wait in ACCEPTED forever.
   */
  private static void defineDefaultQueue(Configuration conf) {
    conf.set(CS + "root.queues", "default");
    conf.set(CS + "root.default.capacity", "100");
    conf.set(CS + "root.default.maximum-capacity", "100");
    conf.set(CS + "root.default.state", "RUNNING");
    conf.set(CS + "root.default.acl_submit_applications", "*");
    conf.set(CS + "root.default.acl_administer_queue", "*");
    conf.setFloat(CS + "maximum-am-resource-percent", 1.0f);
  }

  /**
   * A NodeManager that ran an application waits 10 s in its stop for the log handler's pending
   * log deletion (scheduled {@code log.retain-seconds} ahead; its executor still runs delayed
   * tasks after shutdown). So the log handler hands the deletion to the DeletionService at once,
   * and the DeletionService, whose executor drops delayed tasks at shutdown, holds it for a day:
   * stop is fast and container logs and work dirs stay readable while the cluster runs.
   */
  private static void keepLogsWithoutSlowingStop(Configuration conf) {
    conf.setLong(YarnConfiguration.NM_LOG_RETAIN_SECONDS, 0);
    conf.setInt(YarnConfiguration.DEBUG_NM_DELETE_DELAY_SEC, 24 * 3600);
  }

  /**
   * Log aggregation on, as on a real cluster, so that {@code weft logs} (and {@code yarn logs})
   * can read an ended application's container logs from HDFS: each NodeManager uploads them to
   * {@value #REMOTE_APP_LOG_DIR} when the application ends. The local copies stay readable while
   * the cluster runs (their deletion waits out the DeletionService delay above).
   */
  private static void aggregateLogsIntoHdfs(Configuration conf) {
    conf.setBoolean(YarnConfiguration.LOG_AGGREGATION_ENABLED, true);
    conf.set(YarnConfiguration.NM_REMOTE_APP_LOG_DIR, REMOTE_APP_LOG_DIR);
  }

  /** Where aggregated logs go, on the cluster's default file system (its HDFS). */
  static final String REMOTE_APP_LOG_DIR = "/tmp/logs";

  /**
   * Containers usually start {@code {{JAVA_HOME}}/bin/java}, and JAVA_HOME reaches them from
   * the NodeManager's own environment (the env whitelist). When this JVM was started without
   * JAVA_HOME (plain {@code java}, some Maven setups) that would be empty, so we force this
   * JVM's own Java home through the admin environment instead.
   */
  private static void ensureContainerJavaHome(Configuration conf) {
    if (System.getenv("JAVA_HOME") == null) {
      String adminEnv = conf.get(YarnConfiguration.NM_ADMIN_USER_ENV, YarnConfiguration.DEFAULT_NM_ADMIN_USER_ENV);
      String javaHome = "JAVA_HOME=" + System.getProperty("java.home");
      conf.set(YarnConfiguration.NM_ADMIN_USER_ENV, adminEnv.isEmpty() ? javaHome : adminEnv + "," + javaHome);
    }
  }
}
