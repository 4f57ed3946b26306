package io.weft.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the jar a class came from, including from Hadoop RunJar's unpacked copy of it. */
class ClassLocationsTest {
  @TempDir
  Path dir;

  /** Loaded by the test's own loaders below. */
  public static final class Probe {}

  private static final String ENTRY = Probe.class.getName().replace('.', '/') + ".class";

  private Path jarWithProbe() throws Exception {
    Path jar = dir.resolve("app.jar");
    try (OutputStream f = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(f);
         InputStream in = Probe.class.getClassLoader().getResourceAsStream(ENTRY)) {
      j.putNextEntry(new JarEntry(ENTRY));
      in.transferTo(j);
      j.closeEntry();
    }
    return jar;
  }

  @Test
  void aClassLoadedFromAJarIsInThatJar() throws Exception {
    Path jar = jarWithProbe();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      assertEquals(Optional.of(jar), ClassLocations.jarOf(loader.loadClass(Probe.class.getName())));
    }
  }

  /** RunJar's loader: the unpacked directory first, then the jar itself. */
  @Test
  void aClassLoadedFromAnUnpackedCopyIsFoundInTheJarOnItsLoader() throws Exception {
    Path jar = jarWithProbe();
    Path unjar = dir.resolve("hadoop-unjar123");
    Path copy = unjar.resolve(ENTRY);
    Files.createDirectories(copy.getParent());
    try (InputStream in = Probe.class.getClassLoader().getResourceAsStream(ENTRY)) {
      Files.copy(in, copy);
    }
    Path other = dir.resolve("other.jar");
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(other))) {
      j.putNextEntry(new JarEntry("x/Other.class"));
      j.closeEntry();
    }
    URL[] urls = {unjar.toUri().toURL(), other.toUri().toURL(), jar.toUri().toURL()};
    try (URLClassLoader loader = new URLClassLoader(urls, null)) {
      Class<?> probe = loader.loadClass(Probe.class.getName());
      assertEquals(unjar.toUri().toURL(), probe.getProtectionDomain().getCodeSource().getLocation(),
          "the class comes from the unpacked directory, as under RunJar");
      assertEquals(Optional.of(jar), ClassLocations.jarOf(probe));
    }
  }

  @Test
  void aClassFromAPlainDirectoryHasNoJar() throws Exception {
    Path classes = dir.resolve("classes");
    Path copy = classes.resolve(ENTRY);
    Files.createDirectories(copy.getParent());
    try (InputStream in = Probe.class.getClassLoader().getResourceAsStream(ENTRY)) {
      Files.copy(in, copy);
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
      assertEquals(Optional.empty(), ClassLocations.jarOf(loader.loadClass(Probe.class.getName())));
    }
  }
}
