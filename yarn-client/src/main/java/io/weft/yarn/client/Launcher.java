package io.weft.yarn.client;

import io.weft.WeftConf;
import io.weft.yarn.YarnOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.client.api.YarnClient;

/**
 * {@code bin/weft}'s entry point (and {@code yarn jar}'s main class): {@code submit},
 * {@code status}, {@code kill}, {@code logs}, {@code quickstart}, and the help of every command
 * ({@link CommandHelp}). The only place in Weft that calls {@code System.exit}. Hadoop's generic
 * options ({@code -D key=value}, {@code -conf file}) may precede a command's own arguments and
 * apply to the cluster configuration.
 *
 * <p>Commands that talk to YARN first check that the configuration names a ResourceManager and
 * that it answers within {@code weft.yarn.connect.timeout} ({@link ClusterConnection}).
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args)));
  }

  /**
   * Runs one command and returns its exit code (0 success or help, 1 failed application or
   * cluster error, 2 bad command line); never exits, so a scheduler can call it in-process.
   */
  public static int run(List<String> args) {
    if (args.isEmpty()) {
      System.err.println(CommandHelp.GENERAL);
      return 2;
    }
    String command = args.get(0);
    List<String> own = args.subList(1, args.size());
    switch (command) {
      case "--help", "-h", "help" -> {
        String usage = own.isEmpty() ? null : CommandHelp.of(own.get(0));
        System.out.println(usage != null ? usage : CommandHelp.GENERAL);
        return 0;
      }
      case "--version", "-version", "version" -> {
        System.out.println(CommandHelp.version());
        return 0;
      }
      default -> { }
    }
    if (!command.equals("submit") && CommandHelp.of(command) != null && CommandHelp.asksForHelp(own)) {
      System.out.println(CommandHelp.of(command));
      return 0;
    }
    switch (command) {
      case "quickstart" -> {
        return new Quickstart(System.out, System.err).run(own);
      }
      case "minicluster", "bench" -> {
        System.err.println("weft " + command + " runs through bin/weft (it needs jars this launcher does not have)");
        return 2;
      }
      case "submit", "status", "kill", "logs" -> { }
      default -> {
        System.err.println("weft: unknown command '" + command + "'"
            + Suggestions.didYouMean(command, CommandHelp.commands()) + "\n" + CommandHelp.GENERAL);
        return 2;
      }
    }
    if (command.equals("submit") && !startsWithGenericOption(own)) {
      // Reading the cluster configuration parses six Hadoop XML files (and makes every later
      // Configuration in this JVM parse them too): only a submission to YARN needs it, so a
      // local-mode program does not wait for it.
      return new WeftSubmit(System.out, System.err, HadoopConfs::load).run(own);
    }
    Configuration hadoopConf;
    List<String> rest;
    try {
      hadoopConf = HadoopConfs.load();
      rest = genericOptions(hadoopConf, own);
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("weft " + command + ": " + e.getMessage());
      return 2;
    }
    if (command.equals("submit")) {
      return new WeftSubmit(System.out, System.err, () -> hadoopConf).run(rest);
    }
    return yarnCommand(command, rest, hadoopConf);
  }

  /** Whether {@code args} begin with one of Hadoop's generic options, which only it parses. */
  static boolean startsWithGenericOption(List<String> args) {
    if (args.isEmpty()) {
      return false;
    }
    String first = args.get(0);
    return first.startsWith("-D") || List.of("-conf", "-fs", "-jt", "-files", "-libjars", "-archives",
        "-tokenCacheFile").contains(first);
  }

  /**
   * Applies leading {@code -D}/{@code -conf} options to {@code conf}; returns the other arguments.
   * Goes through {@link ToolRunner}, which runs Hadoop's {@code GenericOptionsParser} exactly as
   * every {@code yarn jar} tool does (calling the parser directly would need the shaded
   * commons-cli classes at compile time).
   */
  static List<String> genericOptions(Configuration conf, List<String> args) throws IOException {
    List<String> rest = new ArrayList<>();
    Tool collect = new Tool() {
      @Override
      public int run(String[] remaining) {
        rest.addAll(Arrays.asList(remaining));
        return 0;
      }

      @Override
      public void setConf(Configuration c) {}

      @Override
      public Configuration getConf() {
        return conf;
      }
    };
    try {
      ToolRunner.run(conf, collect, args.toArray(new String[0]));
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e.getMessage(), e);
    }
    return rest;
  }

  /** status, kill, logs: the arguments are checked, then the cluster, then the command runs. */
  static int yarnCommand(String command, List<String> args, Configuration hadoopConf) {
    ApplicationId appId;
    LogsArguments logs = null;
    try {
      if (command.equals("logs")) {
        logs = LogsArguments.parse(args);
        appId = logs.appId();
      } else if (args.size() != 1) {
        throw new IllegalArgumentException("needs one application id, e.g. application_1700000000000_0001\n"
            + CommandHelp.of(command));
      } else {
        appId = ApplicationId.fromString(args.get(0));
      }
    } catch (IllegalArgumentException e) {
      System.err.println("weft " + command + ": " + e.getMessage());
      return 2;
    }
    long timeoutMs = connectTimeoutMs(hadoopConf);
    try {
      ClusterConnection.check(hadoopConf, timeoutMs);
      Configuration bounded = ClusterConnection.bounded(hadoopConf, timeoutMs);
      if (logs != null) {
        try (YarnClient yarn = YarnClient.createYarnClient()) {
          yarn.init(bounded);
          yarn.start();
          return new ApplicationLogs(yarn, bounded, System.out, System.err).print(appId, logs.container(), logs.type());
        }
      }
      try (YarnSubmitter yarn = new YarnSubmitter(bounded, System.out, System.err)) {
        return command.equals("kill") ? yarn.kill(appId) : yarn.status(appId);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("weft " + command + ": " + e.getMessage());
      return 2;
    } catch (IOException e) {
      System.err.println("weft " + command + ": " + e.getMessage());
      return 1;
    }
  }

  /**
   * weft.yarn.connect.timeout for commands without a submission: from {@code -D} (generic
   * options), else a JVM system property, else the defaults file, else its default.
   */
  static long connectTimeoutMs(Configuration hadoopConf) {
    WeftConf conf = new WeftConf(false);
    String dir = System.getenv("WEFT_CONF_DIR");
    Path defaults = dir == null ? null : Path.of(dir, "weft-defaults.conf");
    if (defaults != null && Files.isRegularFile(defaults)) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(defaults)) {
        p.load(in);
        p.stringPropertyNames().forEach(k -> conf.set(k, p.getProperty(k).trim()));
      } catch (IOException e) {
        // the submit command reports an unreadable defaults file; here the default timeout does
      }
    }
    String key = YarnOptions.CONNECT_TIMEOUT.key();
    String value = hadoopConf.get(key, System.getProperty(key));
    if (value != null) {
      conf.set(key, value);
    }
    return conf.get(YarnOptions.CONNECT_TIMEOUT);
  }

  /** {@code weft logs <applicationId> [--container ID] [--type NAME]}. */
  record LogsArguments(ApplicationId appId, String container, String type) {
    static LogsArguments parse(List<String> args) {
      ApplicationId appId = null;
      String container = null;
      String type = null;
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (a.equals("--container") || a.equals("--type")) {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException("option " + a + " needs a value");
          }
          String value = args.get(++i);
          if (a.equals("--container")) {
            container = value;
          } else {
            type = value;
          }
        } else if (a.startsWith("-")) {
          throw new IllegalArgumentException("unknown option " + a
              + Suggestions.didYouMean(a, List.of("--container", "--type", "--help")) + "\n" + CommandHelp.of("logs"));
        } else if (appId == null) {
          appId = ApplicationId.fromString(a);
        } else {
          throw new IllegalArgumentException("one application id only, got " + appId + " and " + a);
        }
      }
      if (appId == null) {
        throw new IllegalArgumentException("needs an application id\n" + CommandHelp.of("logs"));
      }
      return new LogsArguments(appId, container, type);
    }
  }
}
