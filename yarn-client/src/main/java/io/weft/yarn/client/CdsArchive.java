package io.weft.yarn.client;

import io.weft.yarn.CdsTraining;
import io.weft.yarn.JvmStart;
import io.weft.yarn.YarnConstants;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the class-data sharing archive ({@value JvmStart#CDS_FILE}) that goes into a new runtime
 * archive: a training JVM ({@link CdsTraining}) started with {@code -XX:ArchiveClassesAtExit}, in a
 * scratch directory laid out as a container's working directory will be.
 *
 * <p>A JDK 17 CDS archive is used only by a JVM whose class path starts with the very entries of
 * the training run, each jar with the same size and modification time (to the second). So the
 * training run sees the jars as {@code __weft_libs__/<name>} (Hadoop's as
 * {@code __weft_hadoop__/<name>}, the Hadoop archive's link), relative, in the order of
 * {@link JvmStart#CLASSPATH_FILE}, each copy's modification time set to the time of its zip entry,
 * which is what the NodeManager gives the file when it unpacks the archive (Hadoop's
 * {@code FileUtil.unZip} sets it from the entry; a NodeManager in another time zone than the
 * client reads the entry's local time differently, and its containers then run without CDS).
 *
 * <p>It uses this JVM's {@code java}: a container JVM of another build ignores the archive.
 * Takes a few seconds, once per Weft build (the cold submission), while the jars are uploaded.
 * Threading: any; {@link #build} blocks until the training run ends. Failure: never thrown: logged,
 * and {@link #build} returns null; the runtime is then published without it.
 */
final class CdsArchive {
  private static final Logger LOG = LoggerFactory.getLogger(CdsArchive.class);
  private static final long TIMEOUT_S = 180;

  private CdsArchive() {}

  /**
   * A scratch directory holding the made archive; {@link #close} deletes it.
   *
   * @param jsa the CDS archive
   */
  record Made(Path dir, Path jsa) implements AutoCloseable {
    @Override
    public void close() {
      deleteRecursively(dir);
    }
  }

  /**
   * Trains and dumps the CDS archive of {@code jars}, whose zip entries carry {@code entryTime}.
   * Returns null (having logged why) when it could not be made.
   */
  static Made build(List<Path> jars, long entryTime) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("weft-cds-");
      Files.createDirectory(dir.resolve(YarnConstants.LIBS_DIR));
      Files.createDirectory(dir.resolve(YarnConstants.HADOOP_DIR));
      // the class path a container lists first (RuntimeArchive.classPathLines), Hadoop's jars in
      // the Hadoop archive's directory
      List<String> classPath = new ArrayList<>();
      for (String line : RuntimeArchive.classPathLines(jars)) {
        String entry = line.contains("/") ? line : YarnConstants.LIBS_DIR + "/" + line;
        Path copy = dir.resolve(entry);
        Path jar = jars.stream().filter(j -> j.getFileName().toString().equals(copy.getFileName().toString()))
            .findFirst().orElseThrow();
        Files.copy(jar, copy);
        Files.setLastModifiedTime(copy, FileTime.fromMillis(entryTime));
        classPath.add(entry);
      }
      Path jsa = dir.resolve(JvmStart.CDS_FILE);
      Path scratch = Files.createDirectory(dir.resolve("scratch"));
      Path log = dir.resolve("training.log");
      List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xshare:auto", "-XX:ArchiveClassesAtExit=" + jsa.getFileName(), "-Xmx512m",
          "-cp", String.join(File.pathSeparator, classPath), CdsTraining.class.getName(), scratch.toString());
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("the training run did not end within " + TIMEOUT_S + " s; its output is in " + log);
      }
      if (p.exitValue() != 0 || !Files.isRegularFile(jsa)) {
        throw new IOException("the training run exited with " + p.exitValue() + ": " + tail(log));
      }
      return new Made(dir, jsa);
    } catch (IOException | RuntimeException e) {
      LOG.warn("No class-data sharing archive for Weft's runtime (containers start without it): {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("No class-data sharing archive for Weft's runtime: interrupted");
    }
    if (dir != null) {
      deleteRecursively(dir);
    }
    return null;
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      LOG.debug("Could not remove {}: {}", dir, e.toString());
    }
  }
}
