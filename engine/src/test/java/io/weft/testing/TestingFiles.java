package io.weft.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Small file assertions helpers for I/O tests on the local file system. */
public final class TestingFiles {
  private TestingFiles() {}

  /**
   * The sorted names in {@code dir}, without the {@code .crc} side files Hadoop's local file
   * system writes next to every file.
   */
  public static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
    }
  }
}
