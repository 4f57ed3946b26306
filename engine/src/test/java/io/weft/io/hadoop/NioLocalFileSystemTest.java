package io.weft.io.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.executor.ExecutorEnv;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code file:} file system of Weft's Hadoop configurations sets the permissions Hadoop asks
 * for (checked with {@code java.nio}, not through Hadoop), keeps checksums, and yields to an
 * {@code fs.file.impl} that the user named.
 */
@Timeout(60)
class NioLocalFileSystemTest {
  @TempDir
  java.nio.file.Path tmp;

  @Test
  void weftConfigurationsServeFileWithItAndPermissionsAreThoseAskedFor() throws IOException {
    Configuration conf = ExecutorEnv.hadoopConfiguration(new WeftConf(false));
    try (FileSystem fs = FileSystem.newInstance(URI.create("file:///"), conf)) {
      assertInstanceOf(NioLocalFileSystem.class, fs);
      Path dir = new Path(tmp.toUri().toString(), "a/b");
      assertTrue(fs.mkdirs(dir, new FsPermission((short) 0750)));
      assertEquals("rwxr-x---", mode(tmp.resolve("a/b")));
      Path file = new Path(dir, "part-00000");
      try (OutputStream out = fs.create(file, new FsPermission((short) 0604), true, 4096, (short) 1, 1 << 20,
          null)) {
        out.write("line\n".getBytes(StandardCharsets.UTF_8));
      }
      assertEquals("rw----r--", mode(tmp.resolve("a/b/part-00000")));
      assertTrue(Files.exists(tmp.resolve("a/b/.part-00000.crc")), "checksums are still written");
      fs.setPermission(file, new FsPermission((short) 0461));
      assertEquals("r--rw---x", mode(tmp.resolve("a/b/part-00000")));
      // the sticky bit is Hadoop's own way (chmod): still set
      fs.setPermission(dir, new FsPermission((short) 01777));
      assertEquals(01777, (int) Files.getAttribute(tmp.resolve("a/b"), "unix:mode") & 07777);
    }
  }

  @Test
  void aNamedFileSystemClassWins() {
    WeftConf weft = new WeftConf(false).set("weft.hadoop." + NioLocalFileSystem.IMPL_KEY,
        LocalFileSystem.class.getName());
    assertEquals(LocalFileSystem.class.getName(),
        ExecutorEnv.hadoopConfiguration(weft).get(NioLocalFileSystem.IMPL_KEY));
  }

  private static String mode(java.nio.file.Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
