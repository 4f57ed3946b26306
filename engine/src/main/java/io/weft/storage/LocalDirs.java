package io.weft.storage;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One executor's scratch directory: shuffle output, spills and disk-cached blocks. Created at
 * executor start, deleted with everything in it when the executor stops.
 *
 * <p>Layout: {@code shuffle/shuffle_S_M.data} and {@code .index} (shuffle S, map partition M),
 * {@code blocks/} for cached partitions, {@code tmp/} for spills.
 */
public final class LocalDirs {
  private final Path root;
  private final AtomicLong tempCounter = new AtomicLong();

  public LocalDirs(Path root) {
    this.root = root;
    try {
      Files.createDirectories(root.resolve("shuffle"));
      Files.createDirectories(root.resolve("blocks"));
      Files.createDirectories(root.resolve("tmp"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create local dir " + root + " (weft.local.dir)", e);
    }
  }

  /** A fresh executor directory under {@code parent}, named after the executor. */
  public static LocalDirs create(Path parent, String executorId) {
    try {
      Files.createDirectories(parent);
      return new LocalDirs(Files.createTempDirectory(parent, "executor-" + executorId + "-"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create local dir under " + parent + " (weft.local.dir)", e);
    }
  }

  public Path root() {
    return root;
  }

  public File shuffleDataFile(int shuffleId, int mapIndex) {
    return root.resolve("shuffle").resolve("shuffle_" + shuffleId + "_" + mapIndex + ".data").toFile();
  }

  public File shuffleIndexFile(int shuffleId, int mapIndex) {
    return root.resolve("shuffle").resolve("shuffle_" + shuffleId + "_" + mapIndex + ".index").toFile();
  }

  public File blockFile(String blockName) {
    return root.resolve("blocks").resolve(blockName).toFile();
  }

  /** A new, unique file name for a spill or an in-progress write; the caller deletes it. */
  public File tempFile(String prefix) {
    return root.resolve("tmp").resolve(prefix + "-" + tempCounter.incrementAndGet()).toFile();
  }

  /** Deletes all files of one shuffle (when the driver forgets it). */
  public void removeShuffle(int shuffleId) {
    String p = "shuffle_" + shuffleId + "_";
    try (Stream<Path> files = Files.list(root.resolve("shuffle"))) {
      files.filter(f -> f.getFileName().toString().startsWith(p)).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // best effort: the whole directory goes when the executor stops
    }
  }

  /** Number of files under tmp/ (spills still on disk); tests use it to check clean-up. */
  public long tempFileCount() {
    try (Stream<Path> files = Files.list(root.resolve("tmp"))) {
      return files.count();
    } catch (IOException e) {
      return -1;
    }
  }

  public void deleteAll() {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }
}
