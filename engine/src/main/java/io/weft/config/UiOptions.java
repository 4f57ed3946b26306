package io.weft.config;

import static io.weft.config.ConfigEntry.booleanConf;
import static io.weft.config.ConfigEntry.intConf;
import static io.weft.config.ConfigEntry.stringConf;

/** Settings of the event log and the web UI. */
public final class UiOptions {
  private UiOptions() {}

  public static final ConfigEntry<Boolean> EVENT_LOG_ENABLED = booleanConf("weft.eventLog.enabled")
      .doc("Write every listener event as one JSON line to weft.eventLog.dir, for the history server "
          + "(bin/weft history). Default: on for YARN applications, off in local mode.")
      .register();

  public static final ConfigEntry<String> EVENT_LOG_DIR = stringConf("weft.eventLog.dir")
      .doc("Directory of the event logs, on the cluster's default file system unless the path has a "
          + "scheme; a relative path is under the user's home directory there.")
      .defaultValue("weftEventLogs")
      .register();

  public static final ConfigEntry<Boolean> EVENT_LOG_COMPRESS = booleanConf("weft.eventLog.compress")
      .doc("Gzip the event log (file name ends in .gz); each flush still leaves a readable prefix.")
      .defaultValue("false")
      .register();

  public static final ConfigEntry<String> REDACTION_REGEX = stringConf("weft.redaction.regex")
      .doc("Settings whose key matches this regular expression are shown as *********(redacted) in "
          + "the web UI's environment page and the event log.")
      .defaultValue("(?i)secret|password|token|key")
      .register();

  public static final ConfigEntry<String> APP_ID = stringConf("weft.app.id")
      .doc("The application's id in the event log and the web UI; set by the ApplicationMaster to "
          + "YARN's application id, else local-<start time>. Not meant to be set by hand.")
      .register();

  public static final ConfigEntry<Integer> RETAINED_JOBS = intConf("weft.ui.retainedJobs")
      .doc("How many jobs the web UI and the history server keep: beyond it the oldest finished "
          + "jobs are dropped (the application's JSON says how many). Running jobs are always kept.")
      .defaultValue("1000")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Integer> RETAINED_STAGES = intConf("weft.ui.retainedStages")
      .doc("How many stages the web UI and the history server keep: beyond it the oldest finished "
          + "stages are dropped with their tasks. Active and pending stages are always kept.")
      .defaultValue("1000")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Integer> RETAINED_TASKS = intConf("weft.ui.retainedTasks")
      .doc("How many task attempts the web UI keeps per stage: beyond it the oldest finished "
          + "attempts are dropped (the stage's counts of complete and failed tasks still count "
          + "them; its summary quantiles and task table cover the kept ones).")
      .defaultValue("100000")
      .check(n -> n > 0, "positive")
      .register();
}
