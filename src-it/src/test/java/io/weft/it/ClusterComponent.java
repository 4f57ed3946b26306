package io.weft.it;

import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

/**
 * One embedded Hadoop service that {@link MiniClusterExtension} starts for a test class: HDFS
 * now ({@link MiniHdfs}); YARN (a MiniYARNCluster plus extra NodeManagers) is meant to be one
 * more implementation, started after HDFS on the configuration HDFS left behind.
 *
 * <p>Threading: the extension calls every method from the JUnit thread, except {@link #stop},
 * which may run on a thread of its own so that components stop in parallel.
 */
interface ClusterComponent {
  /** A short name for logs and diagnostics, e.g. {@code "HDFS"}. */
  String name();

  /**
   * Starts the service and blocks until it is usable. {@code conf} is the cluster's shared
   * configuration: the component reads what earlier components wrote into it (say, the
   * NameNode address) and writes what later ones and the tests need.
   *
   * @param workDir an empty directory of this component's own, deleted by the extension
   */
  void start(Configuration conf, Path workDir) throws Exception;

  /** Stops the service, as fast as it can; must tolerate a failed or partial {@link #start}. */
  void stop() throws Exception;

  /** Prints what helps explain a failed test (node reports, log locations); never throws. */
  void printDiagnostics(PrintStream out);
}
