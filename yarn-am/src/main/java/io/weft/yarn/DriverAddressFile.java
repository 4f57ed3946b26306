package io.weft.yarn;

import io.weft.executor.DriverLocator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Where each ApplicationMaster attempt's driver listens, published in the staging directory so
 * executors kept across attempts find the new driver: {@code <staging>/driver/attempt-<n>.address}
 * holds {@code host:port} and a newline. The directory is owner-only (0700), the files 0600: the
 * address is no secret (connections authenticate with the application secret), but nobody else
 * needs it.
 *
 * <p>A file is written under a temporary name and renamed into place, so a reader sees a whole
 * address or none. Readers take the highest attempt's file, and the address they return carries
 * its attempt (the number in the file name), which is how executors tell the next attempt's
 * driver from the lost one even when both listen on the same host and port.
 *
 * <p>Stateless; safe from any thread. Failure: {@link #publish} throws (the caller decides it is
 * not fatal: only the executors of this attempt lose the ability to outlive it); the locator
 * throws the file system's error, which the executor logs and retries.
 */
public final class DriverAddressFile {
  static final String DIR = YarnConstants.DRIVER_ADDRESS_DIR;
  private static final String SUFFIX = ".address";
  private static final FsPermission OWNER_DIR = new FsPermission((short) 0700);
  private static final FsPermission OWNER_FILE = new FsPermission((short) 0600);

  private DriverAddressFile() {}

  /** Publishes the driver address of {@code attempt}. */
  public static void publish(FileSystem fs, Path stagingDir, int attempt, String host, int port) throws IOException {
    Path dir = new Path(stagingDir, DIR);
    if (!fs.exists(dir)) {
      fs.mkdirs(dir, OWNER_DIR);
      fs.setPermission(dir, OWNER_DIR); // mkdirs applies the umask
    }
    Path file = new Path(dir, "attempt-" + attempt + SUFFIX);
    Path tmp = new Path(dir, "." + file.getName() + ".tmp");
    try (OutputStream out = FileSystem.create(fs, tmp, OWNER_FILE)) {
      out.write((host + ":" + port + "\n").getBytes(StandardCharsets.UTF_8));
    }
    fs.delete(file, false); // a re-published address of the same attempt replaces the old
    if (!fs.rename(tmp, file)) {
      throw new IOException("could not rename " + tmp + " to " + file);
    }
  }

  /** A locator that reads the latest published address under {@code stagingDir}. */
  public static DriverLocator locator(Configuration conf, Path stagingDir) {
    return () -> latest(stagingDir.getFileSystem(conf), stagingDir);
  }

  /** The highest attempt's published address, or null if none is published. */
  static DriverLocator.Address latest(FileSystem fs, Path stagingDir) throws IOException {
    Path dir = new Path(stagingDir, DIR);
    if (!fs.exists(dir)) {
      return null;
    }
    FileStatus newest = null;
    int newestAttempt = -1;
    for (FileStatus f : fs.listStatus(dir)) {
      int attempt = attemptOf(f.getPath().getName());
      if (attempt > newestAttempt) {
        newest = f;
        newestAttempt = attempt;
      }
    }
    if (newest == null) {
      return null;
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(newest.getPath()), StandardCharsets.UTF_8))) {
      return parse(r.readLine(), newestAttempt);
    }
  }

  /** The attempt a file name belongs to, or -1 if it is not an address file. */
  static int attemptOf(String name) {
    if (!name.startsWith("attempt-") || !name.endsWith(SUFFIX)) {
      return -1;
    }
    try {
      return Integer.parseInt(name.substring("attempt-".length(), name.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static DriverLocator.Address parse(String line, int attempt) throws IOException {
    int colon = line == null ? -1 : line.lastIndexOf(':');
    if (colon <= 0) {
      throw new IOException("not a driver address: " + line);
    }
    try {
      return new DriverLocator.Address(line.substring(0, colon), Integer.parseInt(line.substring(colon + 1)),
          attempt);
    } catch (NumberFormatException e) {
      throw new IOException("not a driver address: " + line, e);
    }
  }
}
