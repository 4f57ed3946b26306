package io.weft.yarn.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Real jars (zips) for the runtime-archive tests, with fixed entry times so equal jars are equal bytes. */
final class TestJars {
  private TestJars() {}

  /** {@code root/dir/name}: a jar holding empty entries of these names. */
  static Path zipJar(Path root, String dir, String name, String... entries) throws IOException {
    Path jar = Files.createDirectories(root.resolve(dir)).resolve(name);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
      for (String e : entries) {
        ZipEntry entry = new ZipEntry(e);
        entry.setTime(1_000_000_000_000L);
        zip.putNextEntry(entry);
        zip.closeEntry();
      }
    }
    return jar;
  }
}
