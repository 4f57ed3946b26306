package io.weft.minicluster;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import sun.misc.Signal;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/weft minicluster --conf-dir DIR [--nodemanagers N] [--datanodes N] [--base-dir DIR]}:
 * starts an {@link EmbeddedCluster}, writes its client configuration into DIR, prints one line
 * saying it is ready, and runs until interrupted (Ctrl-C, SIGTERM), when a shutdown hook stops
 * it. Other shells then use it with {@code HADOOP_CONF_DIR=DIR} ({@code bin/weft fs},
 * {@code bin/weft submit --master yarn}, {@code yarn}, {@code hdfs}).
 *
 * <p>Threading: the main thread starts the cluster, waits for SIGINT or SIGTERM (whose handlers
 * only release it), stops the cluster and exits; a shutdown hook stops it on any other exit.
 * Failure: a bad command line exits 2, a failed start exits 1 with the cause.
 */
public final class MiniClusterMain {
  private static final Logger LOG = LoggerFactory.getLogger(MiniClusterMain.class);
  private static final String USAGE =
      "usage: weft minicluster --conf-dir DIR [--nodemanagers N] [--datanodes N] [--base-dir DIR]";

  private MiniClusterMain() {}

  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("weft minicluster: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    CountDownLatch stopRequested = new CountDownLatch(1);
    stopOnSignals(stopRequested);
    EmbeddedCluster cluster;
    try {
      EmbeddedCluster.Builder b = EmbeddedCluster.builder()
          .nodeManagers(options.nodeManagers).dataNodes(options.dataNodes);
      if (options.baseDir != null) {
        b.baseDir(options.baseDir);
      }
      cluster = b.build();
      // Registered before start so that Ctrl-C during a slow start still stops the daemons.
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "weft-minicluster-stop"));
      cluster.start();
      cluster.writeConfDir(options.confDir);
    } catch (Exception | Error e) {
      LOG.error("Cannot start the embedded cluster", e);
      System.err.println("weft minicluster: cannot start: " + e);
      System.exit(1);
      return;
    }
    System.out.println("weft minicluster ready: conf in " + options.confDir + ", HDFS " + cluster.hdfsUri()
        + (cluster.hasYarn() ? ", ResourceManager " + hostPort(cluster) + ", web UI " + cluster.webUiAddress() : "")
        + " (Ctrl-C stops it)");
    System.out.flush();
    stopRequested.await();
    cluster.stop();
    System.exit(0);
  }

  /**
   * Ctrl-C and SIGTERM only release {@code stopRequested}, so that the main thread stops the
   * cluster before the JVM's shutdown begins: stopped from a shutdown hook, the DataNodes fail
   * ("Shutdown in progress, cannot remove a shutdownHook") and the NameNode outlives the
   * deletion of its directories. The shutdown hook stays as the fallback for other exits.
   */
  private static void stopOnSignals(CountDownLatch stopRequested) {
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(new Signal(name), signal -> stopRequested.countDown());
      } catch (IllegalArgumentException e) {
        LOG.debug("Cannot handle SIG{}; the shutdown hook will stop the cluster", name, e);
      }
    }
  }

  private static String hostPort(EmbeddedCluster cluster) {
    return cluster.rmAddress().getHostString() + ":" + cluster.rmAddress().getPort();
  }

  /** The parsed command line. */
  private record Options(Path confDir, int nodeManagers, int dataNodes, Path baseDir) {
    static Options parse(String[] args) {
      Path confDir = null;
      Path baseDir = null;
      int nms = 2;
      int dns = 1;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--conf-dir" -> confDir = Path.of(value(args, ++i, arg)).toAbsolutePath();
          case "--base-dir" -> baseDir = Path.of(value(args, ++i, arg)).toAbsolutePath();
          case "--nodemanagers" -> nms = count(value(args, ++i, arg), arg, 0);
          case "--datanodes" -> dns = count(value(args, ++i, arg), arg, 1);
          default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
        }
      }
      if (confDir == null) {
        throw new IllegalArgumentException("--conf-dir is required");
      }
      return new Options(confDir, nms, dns, baseDir);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static int count(String value, String option, int min) {
      try {
        int n = Integer.parseInt(value);
        if (n >= min) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through to the message below
      }
      throw new IllegalArgumentException(option + " must be an integer >= " + min + ", not '" + value + "'");
    }
  }
}
