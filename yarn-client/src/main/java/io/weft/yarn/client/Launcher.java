package io.weft.yarn.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;
import org.apache.hadoop.yarn.api.records.ApplicationId;

/**
 * {@code bin/weft}'s entry point (and {@code yarn jar}'s main class): {@code submit},
 * {@code status}, {@code kill}, {@code quickstart}. The only place in Weft that calls
 * {@code System.exit}. Hadoop's generic options ({@code -D key=value}, {@code -conf file}) may
 * precede a command's own arguments and apply to the cluster configuration.
 */
public final class Launcher {
  private Launcher() {}

  private static final String USAGE = String.join("\n",
      "Usage: weft <command> [generic options] [arguments]",
      "  submit [options] app.jar [args]   run an application (local or on YARN)",
      "  status <applicationId>            print a YARN application's state",
      "  kill <applicationId>              kill a YARN application",
      "  quickstart                        WordCount on a bundled sample text",
      "Generic options (before a command's arguments): -D key=value, -conf file.xml",
      "",
      SubmitArguments.USAGE);

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args)));
  }

  /**
   * Runs one command and returns its exit code (0 success, 1 failed application or cluster
   * error, 2 bad command line); never exits, so a scheduler can call it in-process.
   */
  public static int run(List<String> args) {
    if (args.isEmpty()) {
      System.err.println(USAGE);
      return 2;
    }
    String command = args.get(0);
    if (command.equals("quickstart")) {
      return new Quickstart(System.out, System.err).run(args.subList(1, args.size()));
    }
    Configuration hadoopConf;
    List<String> rest;
    try {
      hadoopConf = HadoopConfs.load();
      rest = genericOptions(hadoopConf, args.subList(1, args.size()));
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("weft " + command + ": " + e.getMessage());
      return 2;
    }
    return switch (command) {
      case "submit" -> new WeftSubmit(System.out, System.err, () -> hadoopConf).run(rest);
      case "status", "kill" -> yarnCommand(command, rest, hadoopConf);
      default -> {
        System.err.println("weft: unknown command '" + command + "'\n" + USAGE);
        yield 2;
      }
    };
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

  private static int yarnCommand(String command, List<String> args, Configuration hadoopConf) {
    if (args.size() != 1) {
      System.err.println("Usage: weft " + command + " <applicationId>");
      return 2;
    }
    try (YarnSubmitter yarn = new YarnSubmitter(hadoopConf, System.out, System.err)) {
      ApplicationId appId = ApplicationId.fromString(args.get(0));
      return command.equals("kill") ? yarn.kill(appId) : yarn.status(appId);
    } catch (IllegalArgumentException e) {
      System.err.println("weft " + command + ": " + e.getMessage());
      return 2;
    } catch (IOException e) {
      System.err.println("weft " + command + ": " + e.getMessage());
      return 1;
    }
  }
}
