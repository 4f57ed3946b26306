package io.weft.config;

import static io.weft.config.ConfigEntry.booleanConf;
import static io.weft.config.ConfigEntry.doubleConf;
import static io.weft.config.ConfigEntry.durationMsConf;
import static io.weft.config.ConfigEntry.intConf;
import static io.weft.config.ConfigEntry.stringConf;

/**
 * Settings of the scheduler's defences against bad executors and hosts (exclusion on failure)
 * and slow ones (speculation). Both are off by default, as in Spark, whose
 * {@code spark.excludeOnFailure.*} and {@code spark.speculation.*} these follow.
 * docs/FAULT-TOLERANCE.md explains them.
 */
public final class FaultToleranceOptions {
  private FaultToleranceOptions() {}

  public static final ConfigEntry<Boolean> EXCLUDE_ENABLED = booleanConf("weft.excludeOnFailure.enabled")
      .doc("Whether executors and hosts where tasks keep failing, or executors keep dying, are "
          + "excluded for weft.excludeOnFailure.timeout: no task is placed there and, on YARN, no "
          + "container is asked there (the ResourceManager's exclusion list). Never all of them.")
      .defaultValue("false")
      .register();

  public static final ConfigEntry<Integer> EXCLUDE_MAX_FAILURES_PER_EXECUTOR =
      intConf("weft.excludeOnFailure.maxFailuresPerExecutor")
      .doc("Task failures (a task's exception) on one executor within weft.excludeOnFailure.timeout "
          + "that exclude the executor.")
      .defaultValue("2")
      .check(n -> n >= 1, "at least 1")
      .register();

  public static final ConfigEntry<Integer> EXCLUDE_MAX_FAILED_EXECUTORS_PER_HOST =
      intConf("weft.excludeOnFailure.maxFailedExecutorsPerHost")
      .doc("Executors of one host that were excluded or died within weft.excludeOnFailure.timeout "
          + "that exclude the host.")
      .defaultValue("2")
      .check(n -> n >= 1, "at least 1")
      .register();

  public static final ConfigEntry<Long> EXCLUDE_TIMEOUT = durationMsConf("weft.excludeOnFailure.timeout")
      .doc("How long an executor or host stays excluded, and how long a failure counts towards "
          + "excluding one.")
      .defaultValue("1h")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Boolean> SPECULATION = booleanConf("weft.speculation")
      .doc("Whether a task running much longer than its stage's finished tasks gets a copy on "
          + "another executor; the first attempt to finish wins, the other is killed, and the "
          + "output commit lets only one of them commit.")
      .defaultValue("false")
      .register();

  public static final ConfigEntry<Long> SPECULATION_INTERVAL = durationMsConf("weft.speculation.interval")
      .doc("How often the scheduler looks for tasks to speculate.")
      .defaultValue("100ms")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Double> SPECULATION_QUANTILE = doubleConf("weft.speculation.quantile")
      .doc("Share of a stage's tasks (0 to 1) that must have finished before its slow tasks are "
          + "speculated.")
      .defaultValue("0.75")
      .check(q -> q > 0 && q <= 1, "above 0 and at most 1")
      .register();

  public static final ConfigEntry<Double> SPECULATION_MULTIPLIER = doubleConf("weft.speculation.multiplier")
      .doc("How many times slower than the median finished task of its stage a running task must "
          + "be to be speculated.")
      .defaultValue("1.5")
      .check(m -> m >= 1, "at least 1")
      .register();

  public static final ConfigEntry<Long> SPECULATION_MIN_RUNTIME = durationMsConf("weft.speculation.minTaskRuntime")
      .doc("How long a task must have run, at least, before it is speculated: copies of short "
          + "tasks cost more than they save.")
      .defaultValue("100ms")
      .check(n -> n >= 0, "non-negative")
      .register();

  public static final ConfigEntry<Integer> RECOVERY_ATTEMPT = intConf("weft.recovery.attempt")
      .doc("Set by the YARN ApplicationMaster, not by users: which ApplicationMaster attempt runs "
          + "this driver (1 for the first). A later attempt resumes from the journal in "
          + "weft.recovery.journalDir.")
      .defaultValue("1")
      .check(n -> n >= 1, "at least 1")
      .register();

  public static final ConfigEntry<String> RECOVERY_JOURNAL_DIR = stringConf("weft.recovery.journalDir")
      .doc("Set by the YARN ApplicationMaster, not by users: the directory (in the application's "
          + "staging directory) where the driver journals submitted jobs, committed outputs and "
          + "finished map stages for a later attempt. Unset: no journal.")
      .register();
}
