package io.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.executor.DriverLocator;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing each attempt's driver address in the staging directory, and finding the newest. */
class DriverAddressFileTest {
  @TempDir java.nio.file.Path tmp;

  @Test
  void theNewestAttemptsAddressIsFoundAndOnlyTheOwnerMayReadIt() throws IOException {
    Configuration conf = new Configuration(false);
    Path staging = new Path(tmp.toUri());
    FileSystem fs = staging.getFileSystem(conf);
    DriverLocator locator = DriverAddressFile.locator(conf, staging);
    assertNull(locator.latest(), "nothing published yet");

    DriverAddressFile.publish(fs, staging, 1, "node1", 4242);
    assertEquals(new DriverLocator.Address("node1", 4242, 1), locator.latest());
    DriverAddressFile.publish(fs, staging, 2, "node2", 5151);
    DriverAddressFile.publish(fs, staging, 10, "node3", 6161); // numbers, not names, order attempts
    assertEquals(new DriverLocator.Address("node3", 6161, 10), locator.latest());
    DriverAddressFile.publish(fs, staging, 10, "node3", 7171); // the same attempt again replaces it
    assertEquals(new DriverLocator.Address("node3", 7171, 10), locator.latest());

    Path dir = new Path(staging, DriverAddressFile.DIR);
    assertEquals(new FsPermission((short) 0700), fs.getFileStatus(dir).getPermission());
    assertEquals(new FsPermission((short) 0600), fs.getFileStatus(new Path(dir, "attempt-2.address")).getPermission());
    // (the local file system keeps hidden .crc files beside each file)
    assertEquals(3, fs.listStatus(dir, p -> !p.getName().startsWith(".")).length, "no temporary file left");
    assertEquals(0, fs.listStatus(dir, p -> p.getName().endsWith(".tmp")).length, "no temporary file left");
  }

  @Test
  void aLaterAttemptOnTheSameHostAndPortIsANewDriver() throws IOException {
    Configuration conf = new Configuration(false);
    Path staging = new Path(tmp.toUri());
    FileSystem fs = staging.getFileSystem(conf);
    DriverLocator locator = DriverAddressFile.locator(conf, staging);
    DriverAddressFile.publish(fs, staging, 1, "node1", 4242);
    DriverLocator.Address lost = locator.latest();
    assertFalse(lost.replaces(lost), "the lost driver's own address");
    DriverAddressFile.publish(fs, staging, 2, "node1", 4242); // a fixed driver port
    assertTrue(locator.latest().replaces(lost), "attempt 2 on the same host and port");
    assertFalse(lost.replaces(locator.latest()), "an older attempt never replaces a newer one");
    // without an attempt to compare (an executor that does not know its driver's), host:port decides
    DriverLocator.Address unknown = new DriverLocator.Address("node1", 4242);
    assertFalse(locator.latest().replaces(unknown));
    assertTrue(new DriverLocator.Address("node2", 4242, 2).replaces(unknown));
  }

  @Test
  void onlyAddressFilesCountAndAMalformedAddressIsAnError() {
    assertEquals(12, DriverAddressFile.attemptOf("attempt-12.address"));
    assertEquals(-1, DriverAddressFile.attemptOf(".attempt-3.address.tmp"));
    assertEquals(-1, DriverAddressFile.attemptOf("attempt-x.address"));
    assertThrows(IOException.class, () -> DriverAddressFile.parse("node1", 1));
    assertThrows(IOException.class, () -> DriverAddressFile.parse(null, 1));
    assertThrows(IOException.class, () -> DriverAddressFile.parse("node1:http", 1));
  }
}
