package io.weft.util;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import java.util.jar.JarFile;

/**
 * Where a class was loaded from, as a jar file. Usually that is the class's code source; but
 * Hadoop's {@code RunJar} ({@code yarn jar}, {@code hadoop jar}) unpacks the jar into a temporary
 * directory and lists that directory before the jar itself on its class loader, so the code source
 * is the directory. Then the jar is found among the URLs of the class's loaders as the one holding
 * the class's entry. Stateless.
 */
public final class ClassLocations {
  private ClassLocations() {}

  /** The jar file holding {@code c}; empty when it came from a plain directory or is unknown. */
  public static Optional<Path> jarOf(Class<?> c) {
    CodeSource source = c.getProtectionDomain().getCodeSource();
    Path direct = source == null ? null : toPath(source.getLocation());
    if (direct != null && Files.isRegularFile(direct)) {
      return Optional.of(direct);
    }
    String entry = c.getName().replace('.', '/') + ".class";
    for (ClassLoader l = c.getClassLoader(); l != null; l = l.getParent()) {
      if (l instanceof URLClassLoader urls) {
        for (URL url : urls.getURLs()) {
          Path p = toPath(url);
          if (p != null && Files.isRegularFile(p) && holds(p, entry)) {
            return Optional.of(p);
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Where {@code c} was loaded from as a path (a jar or a directory), for messages. */
  public static String describe(Class<?> c) {
    CodeSource source = c.getProtectionDomain().getCodeSource();
    return source == null ? "an unknown location" : String.valueOf(source.getLocation());
  }

  private static Path toPath(URL url) {
    if (url == null || !"file".equals(url.getProtocol())) {
      return null;
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean holds(Path jar, String entry) {
    try (JarFile f = new JarFile(jar.toFile())) {
      return f.getEntry(entry) != null;
    } catch (IOException e) {
      return false; // not a jar: not the one we look for
    }
  }
}
