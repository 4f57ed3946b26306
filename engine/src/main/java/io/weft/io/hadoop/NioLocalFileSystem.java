package io.weft.io.hadoop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.nativeio.NativeIO;

/**
 * Hadoop's {@code file:} file system, except that permissions are set through {@code java.nio}
 * when Hadoop's native library is not loaded. Without it, {@link RawLocalFileSystem} forks a
 * {@code chmod} process for every directory and file it creates with a permission: the output of
 * a one-line {@code saveAsTextFile} took eight forks (about 10 ms each on a busy machine), most
 * of the time between a local job's last task and its end (docs/YARN-JVM-START.md, "Local mode").
 * With the native library, or for what {@code java.nio} cannot set (the sticky bit, a file system
 * without POSIX attributes), Hadoop's own way is used.
 *
 * <p>{@link #configure} makes it the {@code fs.file.impl} of the configurations Weft builds
 * unless {@code core-site.xml} or a {@code weft.hadoop.fs.file.impl} setting name another class
 * (a setting in a file loaded later, such as {@code hdfs-site.xml}, does not count). Hadoop
 * caches file systems by scheme and user, not class: in one JVM the first configuration to open
 * {@code file:} decides the class for the others, so a program that wants another local file
 * system names it with {@code weft.hadoop.fs.file.impl}.
 */
public class NioLocalFileSystem extends LocalFileSystem {
  /** Hadoop's key for the class of the {@code file:} scheme's file system. */
  public static final String IMPL_KEY = "fs.file.impl";

  public NioLocalFileSystem() {
    super(new Raw());
  }

  /** Sets {@code fs.file.impl} to this class in {@code conf} unless something already set it. */
  public static Configuration configure(Configuration conf) {
    if (conf.get(IMPL_KEY) == null) {
      conf.set(IMPL_KEY, NioLocalFileSystem.class.getName());
    }
    return conf;
  }

  /** The raw (checksum-less) side, where permissions are set. */
  static final class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      if (NativeIO.isAvailable() || permission.getStickyBit()) {
        super.setPermission(p, permission);
        return;
      }
      try {
        Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission));
      } catch (UnsupportedOperationException e) {
        super.setPermission(p, permission);
      }
    }
  }

  /** The nine rwx bits of {@code permission} as {@code java.nio} permissions. */
  static Set<PosixFilePermission> posix(FsPermission permission) {
    int mode = permission.toShort() & 0777;
    Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
    // PosixFilePermission's order is OWNER_READ, OWNER_WRITE, ..., OTHERS_EXECUTE: bit 8 down to 0
    PosixFilePermission[] all = PosixFilePermission.values();
    for (int i = 0; i < all.length; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        out.add(all[i]);
      }
    }
    return out;
  }
}
