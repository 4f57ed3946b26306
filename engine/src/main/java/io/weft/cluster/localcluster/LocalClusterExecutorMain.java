package io.weft.cluster.localcluster;

import io.weft.executor.ExecutorProcess;
import java.nio.file.Path;

/**
 * Main class of a local-cluster executor JVM. Arguments: executor id, driver host, driver port,
 * cores, scratch directory; the application secret arrives on stdin, which the driver closes
 * after writing it. Exits 0 when told to stop, 1 on a failure to start.
 */
public final class LocalClusterExecutorMain {
  private LocalClusterExecutorMain() {}

  public static void main(String[] args) {
    try {
      byte[] secret = System.in.readAllBytes();
      if (secret.length == 0) {
        throw new IllegalStateException("no application secret on stdin");
      }
      String reason = new ExecutorProcess(new ExecutorProcess.Args(args[0], args[1], Integer.parseInt(args[2]),
          "127.0.0.1", Integer.parseInt(args[3]), Path.of(args[4])), secret).run();
      System.out.println("executor " + args[0] + " stopped: " + reason);
      System.exit(0);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }
}
