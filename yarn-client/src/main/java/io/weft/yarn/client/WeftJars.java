package io.weft.yarn.client;

import io.weft.util.ClassLocations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds Weft's own runtime jars, which a YARN submission ships to its containers: the launcher
 * jar ({@code weft-yarn-client-*.jar}) and every jar in the {@code lib/} directory beside it
 * (what {@code bin/weft} puts on its class path: engine, yarn-am and their dependencies).
 * Stateless. Failure: an {@link IllegalStateException} saying where it looked, so a user running
 * from unpackaged classes learns to build or to set {@code weft.yarn.archive}.
 */
public final class WeftJars {
  private WeftJars() {}

  /**
   * The launcher jar holding this class and the jars of the {@code lib/} directory beside it. Also
   * under {@code yarn jar}, which runs the launcher from an unpacked copy of its jar: the jar itself
   * is then found on the class loader ({@link ClassLocations#jarOf}).
   */
  public static List<Path> ofLauncher() {
    Path self = ClassLocations.jarOf(WeftJars.class).orElseThrow(() -> new IllegalStateException(
        "Weft's jars cannot be found: the launcher runs from " + ClassLocations.describe(WeftJars.class)
            + ", not from a packaged jar; build with 'mvn package' (bin/weft does) or set weft.yarn.archive"));
    return inDirectory(self, self.getParent().resolve("lib"));
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
