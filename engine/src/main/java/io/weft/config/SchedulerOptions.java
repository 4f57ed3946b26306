package io.weft.config;

import static io.weft.config.ConfigEntry.booleanConf;
import static io.weft.config.ConfigEntry.bytesConf;
import static io.weft.config.ConfigEntry.doubleConf;
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
          + "(PROCESS_LOCAL, NODE_LOCAL, RACK_LOCAL) before it accepts the next worse one; "
          + "weft.locality.wait.process, .node and .rack override it per level. Tasks that "
          + "prefer no place never wait.")
      .defaultValue("3s")
      .check(n -> n >= 0, "non-negative")
      .register();

  public static final ConfigEntry<Long> LOCALITY_WAIT_PROCESS = durationMsConf("weft.locality.wait.process")
      .doc("How long a task set waits for a slot on an executor caching its partitions "
          + "(PROCESS_LOCAL) before it accepts NODE_LOCAL. Default: weft.locality.wait.")
      .check(n -> n >= 0, "non-negative")
      .register();

  public static final ConfigEntry<Long> LOCALITY_WAIT_NODE = durationMsConf("weft.locality.wait.node")
      .doc("How long a task set waits for a slot on a host holding its input (NODE_LOCAL) "
          + "before it accepts RACK_LOCAL. Default: weft.locality.wait.")
      .check(n -> n >= 0, "non-negative")
      .register();

  public static final ConfigEntry<Long> LOCALITY_WAIT_RACK = durationMsConf("weft.locality.wait.rack")
      .doc("How long a task set waits for a slot on a rack holding its input (RACK_LOCAL) "
          + "before it accepts ANY. Default: weft.locality.wait.")
      .check(n -> n >= 0, "non-negative")
      .register();

  public static final ConfigEntry<Long> MAX_RESULT_SIZE = bytesConf("weft.driver.maxResultSize")
      .doc("Most bytes of serialized task results one job may bring back to the driver (collect, "
          + "take, countByKey...); a job over it fails, naming this setting, before the driver runs "
          + "out of memory. 0 means no limit.")
      .defaultValue("1g")
      .check(n -> n >= 0, "non-negative")
      .register();

  public static final ConfigEntry<Boolean> REDUCE_LOCALITY = booleanConf("weft.shuffle.reduceLocality.enabled")
      .doc("Whether a reduce task prefers the hosts that wrote at least a fifth of its input bytes "
          + "(the map outputs' block sizes), as Spark's spark.shuffle.reduceLocality.enabled; only for "
          + "shuffles of fewer than 1,000 map and 1,000 reduce partitions, where the cost of choosing is small. "
          + "Off by default: on most clusters the map outputs are spread and the wait costs more than it saves.")
      .defaultValue("false")
      .register();

  public static final ConfigEntry<Integer> STAGE_MAX_ATTEMPTS = intConf("weft.stage.maxAttempts")
      .doc("Consecutive failed attempts of one stage (each a fetch failure: shuffle output it "
          + "reads was lost) before its job fails; a successful attempt starts the count again.")
      .defaultValue("4")
      .check(n -> n >= 1, "at least 1")
      .register();

  public static final ConfigEntry<Double> MIN_REGISTERED_RATIO = doubleConf("weft.scheduler.minRegisteredResourcesRatio")
      .doc("Share of the asked executors (0 to 1) that must have registered before the driver "
          + "starts scheduling; it starts anyway after weft.scheduler.maxRegisteredResourcesWaitingTime "
          + "once one has. Default: 0.8 on YARN, 1.0 in local-cluster mode.")
      .check(r -> r >= 0 && r <= 1, "between 0 and 1")
      .register();

  public static final ConfigEntry<Long> MAX_REGISTERED_WAIT = durationMsConf("weft.scheduler.maxRegisteredResourcesWaitingTime")
      .doc("How long the driver waits for weft.scheduler.minRegisteredResourcesRatio of its "
          + "executors before it starts scheduling with those that registered (at least one; "
          + "with none it waits up to weft.executor.registration.timeout and then fails).")
      .defaultValue("30s")
      .check(n -> n >= 0, "non-negative")
      .register();
}
