package io.weft.yarn.client;

import io.weft.util.ClassLocations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds Weft's own runtime jars, which a YARN submission ships to its containers: the relocated
 * runtime jar ({@code runtime/weft-runtime-*.jar}: launcher, engine, yarn-am and their libraries,
 * Guava, Netty and others under {@code io.weft.shaded}) and Hadoop's client jars
 * ({@code runtime/hadoop/}), beside the launcher jar; or, from a build without them, the launcher
 * jar and its {@code lib/} (what {@code bin/weft} puts on the client's class path).
 * Stateless. Failure: an {@link IllegalStateException} saying where it looked, so a user running
 * from unpackaged classes learns to build or to set {@code weft.yarn.archive}.
 */
public final class WeftJars {
  private WeftJars() {}

  /** The directory beside the launcher jar holding what containers get ({@code yarn-client/pom.xml}). */
  static final String RUNTIME_DIR = "runtime";

  /**
   * File-name prefixes of the jars that go into the Hadoop archive rather than Weft's: Hadoop's
   * client and what it needs on a container's class path (which a cluster's
   * {@code yarn.application.classpath} provides too).
   */
  static final List<String> HADOOP_PREFIXES = List.of("hadoop-client-api-", "hadoop-client-runtime-",
      "slf4j-api-", "slf4j-reload4j-", "reload4j-", "commons-logging-", "snappy-java-");

  /** Whether {@code jar} belongs in the Hadoop archive ({@link #HADOOP_PREFIXES}). */
  public static boolean isHadoop(Path jar) {
    String name = jar.getFileName().toString();
    return HADOOP_PREFIXES.stream().anyMatch(name::startsWith);
  }

  /**
   * What containers get of a packaged launcher jar: the relocated runtime jar and Hadoop's jars of
   * the {@value #RUNTIME_DIR} directory beside it ({@code weft-runtime-*.jar}, then
   * {@code hadoop/*.jar} sorted by name; when {@code launcherJar} is that runtime jar, its own
   * directory); without that directory (a build before it), the launcher jar and its {@code lib/}
   * ({@link #inDirectory}).
   */
  public static List<Path> beside(Path launcherJar) {
    // the relocated jar holds the launcher too: run from it, its own directory is the runtime's
    boolean isRuntimeJar = launcherJar.getFileName().toString().startsWith("weft-runtime-");
    Path runtime = isRuntimeJar ? launcherJar.getParent() : launcherJar.getParent().resolve(RUNTIME_DIR);
    List<Path> shaded = list(runtime, "weft-runtime-");
    if (shaded.size() != 1) {
      return inDirectory(launcherJar, launcherJar.getParent().resolve("lib"));
    }
    List<Path> jars = new ArrayList<>(shaded);
    jars.addAll(list(runtime.resolve("hadoop"), ""));
    return jars;
  }

  private static List<Path> list(Path dir, String prefix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix)
          && p.getFileName().toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("Weft's runtime jars are missing: cannot list " + dir
          + " (" + e.getMessage() + "); build with 'mvn package' or set weft.yarn.archive", e);
    }
  }

  /**
   * What containers get ({@link #beside}) of the launcher jar holding this class. Also
   * under {@code yarn jar}, which runs the launcher from an unpacked copy of its jar: the jar itself
   * is then found on the class loader ({@link ClassLocations#jarOf}).
   */
  public static List<Path> ofLauncher() {
    Path self = ClassLocations.jarOf(WeftJars.class).orElseThrow(() -> new IllegalStateException(
        "Weft's jars cannot be found: the launcher runs from " + ClassLocations.describe(WeftJars.class)
            + ", not from a packaged jar; build with 'mvn package' (bin/weft does) or set weft.yarn.archive"));
    return beside(self);
  }

  /** {@code launcherJar} followed by the jars of {@code libDir}, sorted by name. */
  public static List<Path> inDirectory(Path launcherJar, Path libDir) {
    List<Path> jars = new ArrayList<>();
    jars.add(launcherJar);
    try (Stream<Path> files = Files.list(libDir)) {
      files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
    } catch (IOException e) {
      throw new IllegalStateException("Weft's runtime jars are missing: cannot list " + libDir
          + " (" + e.getMessage() + "); build with 'mvn package' or set weft.yarn.archive", e);
    }
    return jars;
  }
}
