package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.it.yarn.WeftOnYarn;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user jar that bundles its own, conflicting Guava runs on YARN: Weft's Guava (and Netty, ...)
 * is relocated under {@code io.weft.shaded} in the shipped runtime, so the user's
 * {@code com.google.common} classes are the only ones of that name in the containers.
 *
 * <p>The application is compiled here against Guava 16 and calls
 * {@code Objects.toStringHelper}, which Guava 21 removed, inside its tasks. First, in this JVM,
 * the conflict is shown to be real: with Weft's unrelocated Guava ahead of the user jar (the
 * containers' class path order) the call fails with {@link NoSuchMethodError}; with the shipped
 * runtime jar ahead it works. Then the application runs on the embedded YARN, its tasks on an
 * executor, and writes what each task computed and where its {@code Objects} class came from.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class UserGuavaIT {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(1).build();

  @TempDir
  static Path tmp;

  private static final String MAIN = "conflict.OldGuavaApp";

  /** The application: each number's line ({@link #DESCRIBE}) as text. */
  private static final String APP = """
      package conflict;

      import io.weft.WeftConf;
      import io.weft.WeftContext;
      import java.util.ArrayList;
      import java.util.List;

      public final class OldGuavaApp {
        public static void main(String[] args) {
          List<Integer> numbers = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            numbers.add(i);
          }
          try (WeftContext wc = WeftContext.create(new WeftConf())) {
            wc.parallelize(numbers, 4).map(i -> Describe.describe(i)).saveAsTextFile(args[0]);
          }
        }
      }
      """;

  /** Guava 16's toStringHelper (gone since Guava 21), and the jar Objects was loaded from. */
  private static final String DESCRIBE = """
      package conflict;

      import com.google.common.base.Objects;

      public final class Describe {
        public static String describe(int i) {
          String jar = Objects.class.getProtectionDomain().getCodeSource().getLocation().getPath();
          return Objects.toStringHelper("n").add("v", i).toString() + " " + jar.substring(jar.lastIndexOf('/') + 1);
        }
      }
      """;

  @Test
  void aUserJarWithItsOwnOldGuavaCallsItInsideTasks() throws Exception {
    Path oldGuava = Path.of("target", "user-libs", "guava-16.0.1.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(oldGuava), oldGuava + " (copied by src-it's pom)");
    Path appJar = userJar(compile(oldGuava), oldGuava);

    List<Path> runtime = WeftOnYarn.weftJars();
    Path shaded = runtime.get(0);
    assertTrue(shaded.getFileName().toString().startsWith("weft-runtime-"), runtime.toString());
    try (ZipFile zip = new ZipFile(shaded.toFile())) {
      assertEquals(null, zip.getEntry("com/google/common/base/Objects.class"), "Weft's Guava is relocated");
      assertTrue(zip.getEntry("io/weft/shaded/com/google/common/base/MoreObjects.class") != null);
      assertEquals(null, zip.getEntry("io/netty/channel/Channel.class"), "and Netty");
    }
    Path weftsGuava = Path.of(com.google.common.base.MoreObjects.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    Throwable clash = assertThrows(InvocationTargetException.class, () -> describeWith(weftsGuava, appJar)).getCause();
    assertTrue(clash instanceof NoSuchMethodError, "unrelocated, Weft's newer Guava wins and lacks it: " + clash);
    assertEquals("n{v=7} " + appJar.getFileName(), describeWith(shaded, appJar));

    FileSystem fs = CLUSTER.fileSystem();
    String out = "/guava/out";
    WeftOnYarn.Run run = WeftOnYarn.run(CLUSTER, MAIN, appJar, List.of(out), WeftOnYarn.settings("old-guava", 1));
    try {
      assertEquals(0, run.exitCode(), run.output());
      assertEquals(FinalApplicationStatus.SUCCEEDED,
          WeftOnYarn.report(CLUSTER, run.appId()).getFinalApplicationStatus());
      long tasks = WeftOnYarn.executorSummaries(CLUSTER, run.appId()).stream()
          .mapToLong(WeftOnYarn.ExecutorSummary::tasks).sum();
      assertEquals(4, tasks, "the job's tasks ran on the executor");
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(run.appId().toString(), System.err);
      throw e;
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add("n{v=" + i + "} __app__.jar"); // the user jar's link name in the container
    }
    assertEquals(expected, lines(fs, new org.apache.hadoop.fs.Path(out)));
  }

  /** {@code Describe.describe(7)} in a class loader of {@code first}, then the user jar. */
  private static String describeWith(Path first, Path appJar) throws Exception {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {first.toUri().toURL(), appJar.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Method describe = loader.loadClass("conflict.Describe").getMethod("describe", int.class);
      return (String) describe.invoke(null, 7);
    }
  }

  /** Compiles the application against Guava 16 and Weft's API (this JVM's class path without its Guava). */
  private static Path compile(Path oldGuava) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("src/conflict"));
    Path app = Files.writeString(dir.resolve("OldGuavaApp.java"), APP);
    Path describe = Files.writeString(dir.resolve("Describe.java"), DESCRIBE);
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    List<String> classPath = new ArrayList<>(List.of(oldGuava.toString()));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!Path.of(entry).getFileName().toString().startsWith("guava-")) {
        classPath.add(entry);
      }
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-d", classes.toString(), "--release", "17",
        "-cp", String.join(File.pathSeparator, classPath), app.toString(), describe.toString());
    assertEquals(0, rc, "compiling " + dir);
    return classes;
  }

  /** The compiled application plus every class of Guava 16: a user's fat jar. */
  private static Path userJar(Path classes, Path oldGuava) throws IOException {
    Path jar = tmp.resolve("old-guava-app.jar");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      try (Stream<Path> files = Files.walk(classes)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
          Files.copy(f, out);
          out.closeEntry();
        }
      }
      try (ZipFile guava = new ZipFile(oldGuava.toFile())) {
        for (ZipEntry e : Collections.list(guava.entries())) {
          if (e.isDirectory() || e.getName().startsWith("META-INF/")) {
            continue;
          }
          out.putNextEntry(new JarEntry(e.getName()));
          try (InputStream in = guava.getInputStream(e)) {
            in.transferTo(out);
          }
          out.closeEntry();
        }
      }
    }
    return jar;
  }

  /** The text output's lines, sorted as the numbers they describe. */
  private static List<String> lines(FileSystem fs, org.apache.hadoop.fs.Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    for (FileStatus st : fs.listStatus(dir)) {
      if (st.getPath().getName().startsWith("part-")) {
        try (InputStream in = fs.open(st.getPath())) {
          new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(lines::add);
        }
      }
    }
    lines.sort(java.util.Comparator.comparingInt(
        l -> Integer.parseInt(l.substring(l.indexOf('=') + 1, l.indexOf('}')))));
    return lines;
  }
}
