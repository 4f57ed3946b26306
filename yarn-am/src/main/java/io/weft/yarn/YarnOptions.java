package io.weft.yarn;

import static io.weft.config.ConfigEntry.booleanConf;
import static io.weft.config.ConfigEntry.bytesConf;
import static io.weft.config.ConfigEntry.durationMsConf;
import static io.weft.config.ConfigEntry.intConf;
import static io.weft.config.ConfigEntry.stringConf;

import io.weft.WeftConf;
import io.weft.config.ConfigEntry;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Settings of an application on YARN: executor and ApplicationMaster container sizes, the queue
 * and other submission details, and how the client monitors the application. Read by the
 * submitting client ({@code weft submit --master yarn}) and by the ApplicationMaster; the engine's
 * {@code ConfigRegistry} loads this holder by name when the yarn-am jar is on the classpath.
 *
 * <p>Container memory is always heap + overhead: the JVM's {@code -Xmx} is the {@code *.memory}
 * setting, and YARN is asked for that plus the overhead (thread stacks, metaspace, direct buffers,
 * which YARN counts against the container but {@code -Xmx} does not bound).
 */
public final class YarnOptions {
  private YarnOptions() {}

  /** The overhead when none is set: {@value #MIN_OVERHEAD_MB} MiB or 10% of the heap, whichever is larger. */
  public static final long MIN_OVERHEAD_MB = 384;

  public static final ConfigEntry<Integer> EXECUTOR_INSTANCES = intConf("weft.executor.instances")
      .doc("Number of executor containers to run (YARN).")
      .defaultValue("2")
      .check(n -> n >= 0, "non-negative")
      .register();

  public static final ConfigEntry<Long> EXECUTOR_MEMORY = bytesConf("weft.executor.memory")
      .doc("Heap of each executor JVM (-Xmx); its YARN container is this plus weft.executor.memoryOverhead.")
      .defaultValue("1g")
      .check(n -> n >= 32L << 20, "at least 32m")
      .register();

  public static final ConfigEntry<Integer> EXECUTOR_CORES = intConf("weft.executor.cores")
      .doc("Virtual cores of each executor container, and its number of task slots.")
      .defaultValue("1")
      .check(n -> n >= 1, "at least 1")
      .register();

  public static final ConfigEntry<Long> EXECUTOR_MEMORY_OVERHEAD = bytesConf("weft.executor.memoryOverhead")
      .doc("Memory each executor container gets beyond its heap (thread stacks, metaspace, direct "
          + "buffers). Default: the larger of 384m and 10% of weft.executor.memory.")
      .register();

  public static final ConfigEntry<Long> AM_MEMORY = bytesConf("weft.am.memory")
      .doc("Heap of the ApplicationMaster JVM, which also runs the driver; its container adds "
          + "the larger of 384m and 10% of this as overhead.")
      .defaultValue("512m")
      .check(n -> n >= 32L << 20, "at least 32m")
      .register();

  public static final ConfigEntry<Integer> AM_CORES = intConf("weft.am.cores")
      .doc("Virtual cores of the ApplicationMaster container.")
      .defaultValue("1")
      .check(n -> n >= 1, "at least 1")
      .register();

  public static final ConfigEntry<String> QUEUE = stringConf("weft.yarn.queue")
      .doc("The YARN queue the application is submitted to.")
      .defaultValue("default")
      .register();

  public static final ConfigEntry<String> PRINCIPAL = stringConf("weft.yarn.principal")
      .doc("Kerberos principal the client logs in as (with weft.yarn.keytab; --principal). With a "
          + "keytab the ApplicationMaster logs in too and obtains fresh delegation tokens before "
          + "the current ones expire, so an application may run longer than their lifetime. "
          + "Empty: the client uses the ticket cache (kinit).")
      .defaultValue("")
      .register();

  public static final ConfigEntry<String> KEYTAB = stringConf("weft.yarn.keytab")
      .doc("Keytab of weft.yarn.principal (--keytab). Shipped to the ApplicationMaster only, as a "
          + "private file of the application's staging directory; never to executors.")
      .defaultValue("")
      .register();

  public static final ConfigEntry<String> ACCESS_FILE_SYSTEMS = stringConf("weft.yarn.access.hadoopFileSystems")
      .doc("Comma-separated URIs of the secure Hadoop file systems the application uses besides "
          + "the default one (hdfs://other-nn:8020,...): on a Kerberized cluster the client "
          + "obtains a delegation token for each. A file system missing here fails the job with "
          + "a message naming it.")
      .defaultValue("")
      .register();

  public static final ConfigEntry<Boolean> SECURITY_TOKENS_ENABLED = booleanConf("weft.yarn.security.tokens.enabled")
      .doc("Whether the client obtains delegation tokens (from every DelegationTokenProvider) when "
          + "Hadoop security is on. Off only when the caller put the tokens into its own "
          + "credentials already (a workflow scheduler's launcher).")
      .defaultValue("true")
      .register();

  public static final ConfigEntry<Boolean> SECURITY_TOKENS_CANCEL_AT_END =
      booleanConf("weft.yarn.security.tokens.cancelAtEnd")
      .doc("Whether the ResourceManager cancels the submitted delegation tokens when the application "
          + "ends (YARN's cancel-tokens-when-complete, as mapreduce.job.complete.cancel.delegation.tokens). "
          + "Off when the tokens are shared with work that outlives the application (a workflow "
          + "scheduler's launcher that passes its own tokens to several jobs).")
      .defaultValue("true")
      .register();

  public static final ConfigEntry<String> LOCALITY_INPUTS = stringConf("weft.yarn.locality.inputs")
      .doc("Comma-separated input paths (files or directories, on HDFS or another Hadoop file "
          + "system) whose block hosts place the executor containers asked for at start, before "
          + "the first stage says where its data is: name the job's main input to have its first "
          + "stage run node-local. Empty: the first containers are asked for anywhere; requests "
          + "outstanding when a stage starts, and replacements, follow that stage's data either way.")
      .defaultValue("")
      .register();

  public static final ConfigEntry<String> ARCHIVE = stringConf("weft.yarn.archive")
      .doc("An existing archive (zip, tar.gz) on a Hadoop file system holding Weft's jars at its "
          + "top level, used instead of the runtime archive weft submit publishes in "
          + "weft.yarn.archive.dir. When it is world-readable it is localized with PUBLIC "
          + "visibility, so NodeManagers cache it across applications.")
      .register();

  public static final ConfigEntry<String> ARCHIVE_DIR = stringConf("weft.yarn.archive.dir")
      .doc("Directory (on the default or any Hadoop file system) where weft submit publishes Weft's "
          + "runtime as one archive named by its content hash (weft-runtime-<sha256>.zip): the first "
          + "submission of a Weft build uploads it, later ones reuse it. Made world-readable, so "
          + "NodeManagers cache it PUBLIC across applications when every ancestor directory is "
          + "world-executable too; an admin may point this at a shared cluster location. Default: "
          + "/user/<user>/.weft/archives. Ignored when weft.yarn.archive is set.")
      .register();

  public static final ConfigEntry<Integer> ARCHIVE_KEEP = intConf("weft.yarn.archive.keep")
      .doc("When weft submit publishes a new runtime archive into weft.yarn.archive.dir, it removes "
          + "the submitting user's older archives there beyond the newest this many (by last write "
          + "or read) that were neither written nor read for a day; 0 removes none.")
      .defaultValue("3")
      .check(n -> n >= 0, "non-negative")
      .register();

  public static final ConfigEntry<Boolean> CDS_ENABLED = booleanConf("weft.yarn.cds.enabled")
      .doc("Whether weft submit, when it publishes a new runtime archive, also makes a class-data "
          + "sharing (AppCDS) archive of the classes the ApplicationMaster and executors load (a few "
          + "seconds, once per Weft build) and whether containers start with it (-Xshare:auto: a JVM "
          + "of another build ignores it with a warning on its stderr). Needs the containers' Java "
          + "to be the client's.")
      .defaultValue("true")
      .register();

  public static final ConfigEntry<String> HADOOP_JARS = stringConf("weft.yarn.hadoopJars")
      .doc("Whether weft submit ships Hadoop's client jars (hadoop-client-api, hadoop-client-runtime "
          + "and the logging they use) to the containers, as an archive of their own in "
          + "weft.yarn.archive.dir (weft-hadoop-<sha256>.zip, published once, unchanged by a Weft "
          + "upgrade): ship; cluster, when every NodeManager's yarn.application.classpath holds a "
          + "Hadoop 3 client (containers then start without the class-data sharing archive); or auto: "
          + "cluster when the client's configuration sets yarn.application.classpath with an entry "
          + "under share/hadoop (as a real cluster's yarn-site.xml does), else ship.")
      .defaultValue("auto")
      .check(v -> v.equals("auto") || v.equals("ship") || v.equals("cluster"), "auto, ship or cluster")
      .register();

  public static final ConfigEntry<Boolean> PRESERVE_STAGING_FILES = booleanConf("weft.yarn.preserveStagingFiles")
      .doc("Keep the application's staging directory (/user/<user>/.weftStaging/<appId>) after "
          + "it ends, for debugging.")
      .defaultValue("false")
      .register();

  public static final ConfigEntry<Integer> MAX_APP_ATTEMPTS = intConf("weft.yarn.maxAppAttempts")
      .doc("ApplicationMaster attempts YARN makes before the application fails (capped by "
          + "yarn.resourcemanager.am.max-attempts). A later attempt re-runs main and resumes from "
          + "the journal: committed outputs are not rewritten (docs/FAULT-TOLERANCE.md).")
      .defaultValue("2")
      .check(n -> n >= 1, "at least 1")
      .register();

  public static final ConfigEntry<String> TAGS = stringConf("weft.yarn.tags")
      .doc("Comma-separated application tags, shown by the ResourceManager and usable in "
          + "'yarn application -list' filters.")
      .register();

  public static final ConfigEntry<Integer> PRIORITY = intConf("weft.yarn.priority")
      .doc("The application's priority within its queue (higher runs first, when the scheduler "
          + "supports priorities); default: the queue's default.")
      .register();

  public static final ConfigEntry<Boolean> WAIT_APP_COMPLETION = booleanConf("weft.yarn.submit.waitAppCompletion")
      .doc("Whether weft submit waits for the application to end (and exits with its outcome) "
          + "or returns once YARN has accepted it.")
      .defaultValue("true")
      .register();

  public static final ConfigEntry<Long> REPORT_INTERVAL = durationMsConf("weft.yarn.report.interval")
      .doc("How often weft submit asks the ResourceManager for the application's state and prints progress.")
      .defaultValue("500ms")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Long> AM_HEARTBEAT_INITIAL_INTERVAL =
      durationMsConf("weft.yarn.am.heartbeat.initialInterval")
      .doc("How often the ApplicationMaster heartbeats to the ResourceManager while executor "
          + "containers are asked for and not yet granted (containers arrive on heartbeats).")
      .defaultValue("200ms")
      .check(n -> n > 0 && n <= Integer.MAX_VALUE, "positive")
      .register();

  public static final ConfigEntry<Long> AM_HEARTBEAT_INTERVAL = durationMsConf("weft.yarn.am.heartbeat.interval")
      .doc("How often the ApplicationMaster heartbeats to the ResourceManager when no container "
          + "request is pending; it still reports progress and hears of ended containers then. "
          + "A new interval takes effect only after the current wait, so a long one delays the "
          + "first request after a quiet spell and the end of an application by up to this much.")
      .defaultValue("1s")
      .check(n -> n > 0 && n <= Integer.MAX_VALUE, "positive")
      .register();

  public static final ConfigEntry<Integer> MAX_EXECUTOR_FAILURES = intConf("weft.yarn.maxExecutorFailures")
      .doc("Executor containers that may fail (exit with an error or be killed for memory; "
          + "preemption and lost nodes do not count) before lost executors are no longer replaced; "
          + "once none is left then, every job fails saying so (default: weft.executor.maxFailures, "
          + "else twice weft.executor.instances, at least 3).")
      .check(n -> n >= 0, "non-negative")
      .register();

  public static final ConfigEntry<Long> CONNECT_TIMEOUT = durationMsConf("weft.yarn.connect.timeout")
      .doc("How long weft submit, status, kill and logs try to reach the ResourceManager before "
          + "they give up with an error naming its address (Hadoop's own default retries for minutes).")
      .defaultValue("10s")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Boolean> KILL_ON_INTERRUPT = booleanConf("weft.yarn.killOnInterrupt")
      .doc("Whether interrupting weft submit (Ctrl-C) while it waits for the application kills the "
          + "application; by default the application keeps running and the client says how to kill it.")
      .defaultValue("false")
      .register();

  public static final ConfigEntry<String> AM_EXTRA_JAVA_OPTIONS = stringConf("weft.am.extraJavaOptions")
      .doc("Extra JVM options of the ApplicationMaster (which runs the driver), separated by spaces; "
          + "not the heap size, which is weft.am.memory.")
      .register();

  public static final ConfigEntry<String> EXECUTOR_EXTRA_JAVA_OPTIONS = stringConf("weft.executor.extraJavaOptions")
      .doc("Extra JVM options of each executor, separated by spaces; not the heap size, which is "
          + "weft.executor.memory.")
      .register();

  public static final ConfigEntry<String> IN_AM_MODE = stringConf("weft.yarn.inAm.mode")
      .doc("Whether the application's tasks run inside the ApplicationMaster's JVM, with no executor "
          + "containers (a local backend with weft.executor.cores task slots; same scheduler and "
          + "shuffle): off; on; or auto, which weft submit decides at submission: in the AM when the "
          + "application's arguments name existing input paths totalling at most "
          + "weft.yarn.inAm.maxInputBytes in at most weft.yarn.inAm.maxTasks splits. In the AM, its "
          + "container gets the larger of weft.am.memory and weft.executor.memory as heap (and the "
          + "larger of the two core settings). Off by default: a task that exhausts the heap or "
          + "crashes the JVM then takes the driver with it.")
      .defaultValue("off")
      .check(m -> m.equals("off") || m.equals("on") || m.equals("auto"), "one of off, on, auto")
      .register();

  public static final ConfigEntry<Long> IN_AM_MAX_INPUT_BYTES = bytesConf("weft.yarn.inAm.maxInputBytes")
      .doc("weft.yarn.inAm.mode=auto: the largest total size of the input paths named by the "
          + "application's arguments for which it runs inside the ApplicationMaster.")
      .defaultValue("128m")
      .check(n -> n >= 0, "non-negative")
      .register();

  public static final ConfigEntry<Integer> IN_AM_MAX_TASKS = intConf("weft.yarn.inAm.maxTasks")
      .doc("weft.yarn.inAm.mode=auto: the most input splits (files plus blocks, an upper bound on "
          + "the first stage's tasks) for which the application runs inside the ApplicationMaster.")
      .defaultValue("8")
      .check(n -> n >= 1, "at least 1")
      .register();

  /**
   * Whether the application runs inside the ApplicationMaster: {@link #IN_AM_MODE} is {@code on}.
   * weft submit resolves {@code auto} to {@code on} or {@code off} before it ships the settings,
   * so the ApplicationMaster sees {@code auto} only from a client that did not; it then runs
   * executors, the safe reading.
   */
  public static boolean runsInAm(WeftConf conf) {
    return conf.get(IN_AM_MODE).equals("on");
  }

  /** Executor container overhead in MiB: the configured value, else max(384, 10% of the heap). */
  public static long executorOverheadMb(WeftConf conf) {
    Long configured = conf.get(EXECUTOR_MEMORY_OVERHEAD);
    return configured != null ? toMb(configured) : defaultOverheadMb(toMb(conf.get(EXECUTOR_MEMORY)));
  }

  /** The ApplicationMaster container's overhead in MiB: max(384, 10% of its heap). */
  public static long amOverheadMb(WeftConf conf) {
    return defaultOverheadMb(toMb(conf.get(AM_MEMORY)));
  }

  /** max({@value #MIN_OVERHEAD_MB}, 10% of {@code heapMb}). */
  public static long defaultOverheadMb(long heapMb) {
    return Math.max(MIN_OVERHEAD_MB, heapMb / 10);
  }

  /** Bytes to MiB, rounded up: YARN counts memory in MiB and a request must not fall short. */
  public static long toMb(long bytes) {
    return (bytes + (1L << 20) - 1) >> 20;
  }

  /**
   * The words of an extra-java-options setting, each quoted for the shell that runs the
   * container's launch script (so a value with spaces or {@code $} reaches the JVM as written);
   * empty when unset.
   */
  public static java.util.List<String> javaOptions(WeftConf conf, ConfigEntry<String> entry) {
    String raw = conf.get(entry);
    java.util.List<String> out = new java.util.ArrayList<>();
    if (raw != null) {
      for (String word : raw.trim().split("\\s+")) {
        if (!word.isEmpty()) {
          out.add("'" + word.replace("'", "'\\''") + "'");
        }
      }
    }
    return out;
  }

  /** The tags of {@link #TAGS}, trimmed, without empties, in order. */
  public static Set<String> tags(WeftConf conf) {
    String raw = conf.get(TAGS);
    Set<String> tags = new LinkedHashSet<>();
    if (raw != null) {
      Arrays.stream(raw.split(",")).map(String::trim).filter(t -> !t.isEmpty()).forEach(tags::add);
    }
    return tags;
  }

  public static final ConfigEntry<String> HISTORY_SERVER_ADDRESS = stringConf("weft.yarn.historyServer.address")
      .doc("host:port of a Weft history server (bin/weft history) reading this application's "
          + "event log directory: the ApplicationMaster gives the ResourceManager its page of the "
          + "application as the final tracking URL, so the link keeps working after the end.")
      .register();
}
