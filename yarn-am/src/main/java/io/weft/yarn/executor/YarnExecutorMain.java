package io.weft.yarn.executor;

import io.weft.executor.DriverLocator;
import io.weft.executor.ExecutorProcess;
import io.weft.yarn.AppSecret;
import io.weft.yarn.DriverAddressFile;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.api.ApplicationConstants.Environment;
import org.apache.hadoop.yarn.api.records.ContainerId;

/**
 * Main class of an executor container. Arguments: executor id, driver host, driver port, cores,
 * and the staging directory where the next ApplicationMaster attempt's driver publishes its
 * address ({@link DriverAddressFile}), or {@code -} when there is no next attempt (then the
 * executor ends with its driver).
 * The application secret comes from the container's credentials ({@link #containerCredentials});
 * scratch space from the NodeManager's local dirs, so YARN cleans it up with the container. Exits
 * 0 when the driver tells it to stop (or is gone), 1 when it cannot start.
 */
public final class YarnExecutorMain {
  private YarnExecutorMain() {}

  public static void main(String[] args) {
    try {
      byte[] secret = AppSecret.readFrom(containerCredentials(System.getenv(UserGroupInformation.HADOOP_TOKEN_FILE_LOCATION)));
      String localDirs = System.getenv(Environment.LOCAL_DIRS.name());
      Path scratch = localDirs != null && !localDirs.isBlank()
          ? Path.of(localDirs.split(",")[0], "weft") : Path.of(System.getProperty("java.io.tmpdir"));
      String host = System.getenv(Environment.NM_HOST.name());
      String reason = new ExecutorProcess(new ExecutorProcess.Args(args[0], args[1], Integer.parseInt(args[2]),
          host != null ? host : "localhost", Integer.parseInt(args[3]), scratch,
          System.getenv(Environment.CONTAINER_ID.name()), driverAttempt(System.getenv(Environment.CONTAINER_ID.name()))),
          secret, driverLocator(args)).run();
      System.out.println("executor " + args[0] + " stopped: " + reason);
      System.exit(0);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }

  /** Where to find the next attempt's driver, from the fifth argument; null: nowhere. */
  static DriverLocator driverLocator(String[] args) {
    if (args.length < 5 || args[4].equals("-")) {
      return null;
    }
    // read only after the driver is lost, so an executor that never needs it never opens HDFS
    return DriverAddressFile.locator(new Configuration(), new org.apache.hadoop.fs.Path(args[4]));
  }

  /**
   * The application attempt of the driver that launched this container: the attempt that
   * allocated it, part of its container id ({@code container_..._<app>_<attempt>_<n>}), the same
   * number that attempt publishes its address under. Unknown outside a container.
   */
  static int driverAttempt(String containerId) {
    if (containerId == null || containerId.isBlank()) {
      return DriverLocator.Address.UNKNOWN_ATTEMPT;
    }
    try {
      return ContainerId.fromString(containerId).getApplicationAttemptId().getAttemptId();
    } catch (IllegalArgumentException e) {
      return DriverLocator.Address.UNKNOWN_ATTEMPT;
    }
  }

  /**
   * The container's credentials, read from the token file the NodeManager names in
   * {@code HADOOP_TOKEN_FILE_LOCATION}, not through {@code UserGroupInformation.getCurrentUser()}:
   * logging in sets up Hadoop's metrics system, JAAS and a parsed {@code Configuration}, half a
   * second of an executor's start measured on two busy cores (docs/HADOOP-NOTES.md), and nothing
   * before registration needs it. A task that reads HDFS logs in then, and the login reads the
   * same file. Without the variable (not in a YARN container), the current user's credentials.
   */
  static Credentials containerCredentials(String tokenFile) throws IOException {
    if (tokenFile == null || tokenFile.isBlank()) {
      return UserGroupInformation.getCurrentUser().getCredentials();
    }
    Credentials credentials = new Credentials();
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(Path.of(tokenFile))))) {
      credentials.readTokenStorageStream(in);
    }
    return credentials;
  }
}
