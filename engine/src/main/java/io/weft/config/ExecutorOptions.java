package io.weft.config;

import static io.weft.config.ConfigEntry.durationMsConf;
import static io.weft.config.ConfigEntry.intConf;

/** Settings of executors that run in their own JVMs (local-cluster mode, YARN). */
public final class ExecutorOptions {
  private ExecutorOptions() {}

  public static final ConfigEntry<Long> REGISTRATION_TIMEOUT = durationMsConf("weft.executor.registration.timeout")
      .doc("How long the driver waits at start for its executors to register; if none has by "
          + "then, the application fails saying so.")
      .defaultValue("120s")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Long> HEARTBEAT_INTERVAL = durationMsConf("weft.executor.heartbeatInterval")
      .doc("How often an executor tells the driver it is alive; an executor whose driver no longer "
          + "knows it, or cannot be reached, stops itself.")
      .defaultValue("10s")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Long> RECONNECT_TIMEOUT = durationMsConf("weft.executor.reconnect.timeout")
      .doc("How long an executor whose driver went away looks for the driver of the application's "
          + "next attempt (on YARN, with weft.yarn.maxAppAttempts above 1: the ApplicationMaster "
          + "died and YARN restarts it) before it ends; the default is YARN's default "
          + "ApplicationMaster expiry (yarn.am.liveness-monitor.expiry-interval-ms). Executors of "
          + "cluster managers that start no new driver end at once.")
      .defaultValue("600s")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Long> HEARTBEAT_TIMEOUT = durationMsConf("weft.executor.heartbeatTimeout")
      .doc("How long the driver waits without a heartbeat before it declares an executor lost "
          + "(its tasks run elsewhere, its process or container is killed), for executors that hang "
          + "with their connection open. Must be greater than weft.executor.heartbeatInterval.")
      .defaultValue("120s")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Integer> HEARTBEAT_MAX_FAILURES = intConf("weft.executor.heartbeat.maxFailures")
      .doc("Heartbeats in a row an executor may fail to deliver (no reply in time, a driver too "
          + "busy to answer) before it gives up and stops itself, as Spark's "
          + "spark.executor.heartbeat.maxFailures. A closed connection to the driver still stops it at once.")
      .defaultValue("60")
      .check(n -> n >= 1, "at least 1")
      .register();

  public static final ConfigEntry<Integer> MAX_FAILURES = intConf("weft.executor.maxFailures")
      .doc("Executor processes that may fail before lost executors are no longer replaced, in "
          + "local-cluster mode and on YARN (where weft.yarn.maxExecutorFailures, if set, wins); "
          + "when none is left then, every job fails saying so (default: twice the number of "
          + "executors, at least 3).")
      .check(n -> n >= 0, "non-negative")
      .register();

  /** The heartbeat timeout of {@code conf}, checked against the heartbeat interval. */
  public static long heartbeatTimeoutMs(io.weft.WeftConf conf) {
    long timeout = conf.get(HEARTBEAT_TIMEOUT);
    long interval = conf.get(HEARTBEAT_INTERVAL);
    if (timeout <= interval) {
      throw new IllegalArgumentException(HEARTBEAT_TIMEOUT.key() + " (" + timeout + " ms) must be greater "
          + "than " + HEARTBEAT_INTERVAL.key() + " (" + interval + " ms), or live executors would be "
          + "declared lost between two heartbeats");
    }
    return timeout;
  }

  /** The executor failure budget: the setting, else twice {@code executors}, at least 3. */
  public static int maxFailures(io.weft.WeftConf conf, int executors) {
    Integer configured = conf.get(MAX_FAILURES);
    return configured != null ? configured : Math.max(3, 2 * executors);
  }
}
