package io.weft.yarn.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The usage of every {@code weft} command, each with examples, and Weft's version: what
 * {@code weft <command> --help}, {@code weft --help} and {@code weft --version} print. The
 * commands {@code bin/weft} runs outside this launcher (quickstart on YARN, minicluster, bench)
 * are described here too, so that their {@code --help} never starts anything. Stateless.
 */
final class CommandHelp {
  private CommandHelp() {}

  static final String GENERAL = String.join("\n",
      "Usage: weft <command> [generic options] [arguments]     (weft <command> --help for each)",
      "  submit [options] app.jar [args]   run an application, locally or on YARN",
      "  status <applicationId>            a YARN application's state, progress and tracking URL",
      "  kill <applicationId>              kill a YARN application",
      "  logs <applicationId>              an application's container logs (driver and executors)",
      "  quickstart [--local]              WordCount on a bundled text, on an embedded YARN + HDFS cluster",
      "  minicluster --conf-dir DIR        an embedded YARN + HDFS cluster until Ctrl-C",
      "  bench [options]                   time the examples on generated inputs",
      "  config-docs                       every Weft setting with its default",
      "  fs -ls/-put/-cat/-rm ...          Hadoop's FsShell on the cluster in HADOOP_CONF_DIR",
      "  --version                         Weft's version",
      "Generic options (before a command's arguments): -D key=value, -conf file.xml",
      "The cluster is the one HADOOP_CONF_DIR (or YARN_CONF_DIR) describes.",
      "",
      "Examples:",
      "  weft quickstart",
      "  weft submit --class io.weft.examples.WordCount examples/target/weft-examples-*.jar in.txt out",
      "  weft submit --master yarn --num-executors 4 --class com.example.MyJob my-job.jar in out",
      "  weft status application_1700000000000_0001");

  private static final String STATUS = String.join("\n",
      "Usage: weft status <applicationId>",
      "  Prints a YARN application's name, queue, state, final status, progress, tracking URL and",
      "  diagnostics. Exits 0 if the ResourceManager knows the application.",
      "",
      "Example:",
      "  HADOOP_CONF_DIR=/etc/hadoop/conf weft status application_1700000000000_0001");

  private static final String KILL = String.join("\n",
      "Usage: weft kill <applicationId>",
      "  Asks YARN to kill the application, waits until it is KILLED and makes sure its staging",
      "  directory is gone. Exits 0 if it was killed or had already ended.",
      "",
      "Example:",
      "  weft kill application_1700000000000_0001");

  private static final String LOGS = String.join("\n",
      "Usage: weft logs <applicationId> [--container CONTAINER_ID] [--type NAME]",
      "  Prints the logs of the application's containers: the driver's are the ApplicationMaster's",
      "  (the first container, ..._000001), the executors' are the others. An application that ended",
      "  is read from the aggregated logs (yarn.log-aggregation-enable); a running one from its",
      "  NodeManagers.",
      "  --container ID   only that container's logs",
      "  --type NAME      only that log file: stdout (what the program prints) or stderr (Weft's and",
      "                   the program's log lines)",
      "",
      "Examples:",
      "  weft logs application_1700000000000_0001",
      "  weft logs application_1700000000000_0001 --container container_1700000000000_0001_01_000001 --type stdout");

  private static final String QUICKSTART = String.join("\n",
      "Usage: weft quickstart [--local]",
      "  Starts an embedded YARN + HDFS cluster, runs the WordCount example on a bundled text with",
      "  --master yarn, prints the most frequent words and stops the cluster (about a minute).",
      "  --local   run it in local[2] mode instead, without a cluster",
      "",
      "Examples:",
      "  weft quickstart",
      "  weft quickstart --local");

  private static final String MINICLUSTER = String.join("\n",
      "Usage: weft minicluster --conf-dir DIR [--nodemanagers N] [--datanodes N] [--base-dir DIR]",
      "  Runs an embedded YARN + HDFS cluster until Ctrl-C and writes its client configuration",
      "  (core-site.xml, hdfs-site.xml, yarn-site.xml) into DIR: other shells use it with",
      "  HADOOP_CONF_DIR=DIR.",
      "",
      "Example:",
      "  weft minicluster --conf-dir /tmp/weft-conf &",
      "  HADOOP_CONF_DIR=/tmp/weft-conf weft submit --master yarn --class C app.jar");

  private static final String BENCH = String.join("\n",
      "Usage: weft bench [--size 1g] [--runs 3] [--master local[2]] [--dir DIR] [--seed N] [--keep]",
      "  Generates inputs (text, sort records, join tables) and times the examples on them, each",
      "  run in a fresh JVM; writes results.md into DIR. A measurement, not a test.",
      "  --compare spark|plain also times Apache Spark and/or a plain single-threaded program;",
      "  --only grep,wordcount (of wordcount, sort, join, grep) times only those examples.",
      "",
      "Usage: weft bench --yarn [--runs 3] [--size 64m] [--dir DIR]",
      "  Starts an embedded YARN + HDFS, then times the near-empty job (also inside the",
      "  ApplicationMaster) and WordCount, each run a separate weft submit, the first cold; prints",
      "  the time of each phase from launch to exit, and medians (docs/BENCHMARKS.md).",
      "",
      "Examples:",
      "  weft bench --size 256m --runs 2",
      "  weft bench --yarn");

  private static final Map<String, String> BY_COMMAND = Map.of(
      "submit", SubmitArguments.USAGE, "status", STATUS, "kill", KILL, "logs", LOGS,
      "quickstart", QUICKSTART, "minicluster", MINICLUSTER, "bench", BENCH);

  /** The usage of {@code command}, or {@code null} for an unknown one. */
  static String of(String command) {
    return BY_COMMAND.get(command);
  }

  /** The commands that have a usage. */
  static List<String> commands() {
    return List.of("submit", "status", "kill", "logs", "quickstart", "minicluster", "bench", "config-docs", "fs");
  }

  /** Whether {@code args} (a command's own arguments, before any application jar) ask for help. */
  static boolean asksForHelp(List<String> args) {
    return args.contains("--help") || args.contains("-h") || args.contains("help");
  }

  /** {@code Weft 0.1.0-SNAPSHOT}, from the version Maven wrote into the launcher jar. */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = CommandHelp.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // an unknown version is reported as such
    }
    return "Weft " + p.getProperty("version", "(unknown version)") + " (Java " + Runtime.version()
        + ", Hadoop client " + org.apache.hadoop.util.VersionInfo.getVersion() + ")";
  }
}
