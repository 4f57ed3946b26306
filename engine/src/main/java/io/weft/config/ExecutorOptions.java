package io.weft.config;

import static io.weft.config.ConfigEntry.durationMsConf;

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
}
