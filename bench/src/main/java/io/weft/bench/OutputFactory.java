package io.weft.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileSystem;

/**
 * Where a generator writes: opens a new file by a relative name such as {@code part-00000} or
 * {@code events/part-00001}, creating parent directories as needed. The generators buffer
 * themselves, so the streams returned need not be buffered. The caller of {@link #create}
 * closes the stream.
 */
@FunctionalInterface
public interface OutputFactory {
  OutputStream create(String relativeName) throws IOException;

  /** Files under a local directory (created if missing); existing files are replaced. */
  static OutputFactory localDir(Path dir) {
    return name -> {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      return Files.newOutputStream(file);
    };
  }

  /** Files under {@code dir} on a Hadoop file system (HDFS, or file:// in tests); replaced if present. */
  static OutputFactory hadoop(FileSystem fs, org.apache.hadoop.fs.Path dir) {
    return name -> fs.create(new org.apache.hadoop.fs.Path(dir, name), true);
  }
}
