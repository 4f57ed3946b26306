package io.weft.config;

import static io.weft.config.ConfigEntry.durationMsConf;
import static io.weft.config.ConfigEntry.intConf;

/** Settings of the DAG and task schedulers. */
public final class SchedulerOptions {
  private SchedulerOptions() {}

  public static final ConfigEntry<Integer> TASK_MAX_FAILURES = intConf("weft.task.maxFailures")
      .doc("Attempts of one task before its job fails with the task's last error.")
      .defaultValue("4")
      .check(n -> n >= 1, "at least 1")
      .register();

  public static final ConfigEntry<Long> LOCALITY_WAIT = durationMsConf("weft.locality.wait")
      .doc("How long a task set waits for a free slot at its best locality level "
          + "(PROCESS_LOCAL, NODE_LOCAL, RACK_LOCAL) before it accepts the next worse one.")
      .defaultValue("3s")
      .check(n -> n >= 0, "non-negative")
      .register();

  public static final ConfigEntry<Integer> STAGE_MAX_ATTEMPTS = intConf("weft.stage.maxAttempts")
      .doc("Attempts of one stage (re-runs after lost shuffle output) before its job fails.")
      .defaultValue("4")
      .check(n -> n >= 1, "at least 1")
      .register();
}
