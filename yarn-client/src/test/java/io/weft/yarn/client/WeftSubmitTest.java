package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft submit} in local mode: argument handling, configuration precedence, exit codes. */
class WeftSubmitTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int submit(String... args) {
    return new WeftSubmit(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(List.of(args));
  }

  private String errText() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** A jar holding the given test classes, as a user's application jar would. */
  private Path appJar(Class<?>... classes) throws IOException {
    Path jar = dir.resolve("app.jar");
    try (OutputStream f = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(f)) {
      for (Class<?> c : classes) {
        String name = c.getName().replace('.', '/') + ".class";
        j.putNextEntry(new JarEntry(name));
        try (InputStream in = c.getClassLoader().getResourceAsStream(name)) {
          in.transferTo(j);
        }
        j.closeEntry();
      }
    }
    return jar;
  }

  @Test
  void parsesSparkSubmitStyleArguments() {
    SubmitArguments a = SubmitArguments.parse(List.of("--master", "local[3]", "--class", "a.B",
        "--conf", "weft.locality.wait=1s", "--num-executors", "4", "--jars", "x.jar,y.jar",
        "app.jar", "in", "--not-an-option"));
    assertEquals("local[3]", a.master());
    assertEquals("a.B", a.mainClass());
    assertEquals(Map.of("weft.locality.wait", "1s", "weft.executor.instances", "4"), a.conf());
    assertEquals(List.of("x.jar", "y.jar"), a.jars());
    assertEquals("app.jar", a.appJar());
    assertEquals(List.of("in", "--not-an-option"), a.appArgs());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SubmitArguments.parse(List.of("--bogus", "1", "--class", "a.B", "app.jar")));
    assertTrue(e.getMessage().contains("--bogus"));
  }

  @Test
  void runsTheApplicationWithResolvedSettingsAndRestoresSystemProperties() throws IOException {
    Path jar = appJar(RecordingApp.class);
    Path defaults = dir.resolve("weft-defaults.conf");
    Files.writeString(defaults, "weft.app.name=from-file\nweft.locality.wait=9s\n");
    int rc = submit("--master", "local[1]", "--properties-file", defaults.toString(),
        "--conf", "weft.locality.wait=2s", "--class", RecordingApp.class.getName(), jar.toString(), "x", "y");
    assertEquals(0, rc, errText());
    assertEquals("local[1]|from-file|2s|x,y", System.clearProperty("test.recorded"));
    assertEquals(null, System.getProperty("weft.locality.wait"));
  }

  @Test
  void applicationFailureExitsOneWithItsMessage() throws IOException {
    Path jar = appJar(FailingApp.class);
    int rc = submit("--master", "local[1]", "--class", FailingApp.class.getName(), jar.toString());
    assertEquals(1, rc);
    assertTrue(errText().contains("Application failed: IllegalStateException: no input named 'zzz'"), errText());
    assertTrue(!errText().contains("\tat "), "no stack trace without --verbose: " + errText());
  }

  @Test
  void badSubmissionsExitTwoNamingTheProblem() throws IOException {
    Path jar = appJar(RecordingApp.class);
    assertEquals(2, submit("--class", "no.such.Main", jar.toString()));
    assertTrue(errText().contains("class no.such.Main not found in " + jar), errText());
    Path sampleJar = appJar(SampleMain.class);
    assertEquals(2, submit("--class", "io.weft.yarn.client.SampleMian", sampleJar.toString()));
    assertTrue(errText().contains("class io.weft.yarn.client.SampleMian not found in " + sampleJar
        + "; did you mean io.weft.yarn.client.SampleMain?"), errText());
    assertEquals(2, submit("--class", "a.B", dir.resolve("missing.jar").toString()));
    assertTrue(errText().contains("missing.jar does not exist"), errText());
    assertEquals(2, submit("--master", "local[1]", "--class", "a.B", "hdfs://nn:8020/apps/app.jar"));
    assertTrue(errText().contains("hdfs://nn:8020/apps/app.jar is not on this machine"), errText());
    assertEquals(2, submit("--master", "local[1]", "--conf", "weft.task.maxFailures", "--class", "a.B", jar.toString()));
    assertTrue(errText().contains("--conf takes KEY=VALUE"), errText());
  }

  @Test
  void withoutNameTheApplicationIsNamedAfterItsMainClassNotWeftApp() throws IOException {
    Path jar = appJar(RecordingApp.class);
    assertEquals(0, submit("--master", "local[1]", "--class", RecordingApp.class.getName(), jar.toString()), errText());
    assertEquals("local[1]|RecordingApp|null|", System.clearProperty("test.recorded"));
  }

  @Test
  void ignoredSettingsAreWarnedAboutWithWhatWasMeant() throws IOException {
    Path jar = appJar(RecordingApp.class);
    assertEquals(0, submit("--master", "local[1]", "--conf", "weft.locality.wiat=1s",
        "--conf", "spark.executor.memory=2g", "--class", RecordingApp.class.getName(), jar.toString()), errText());
    System.clearProperty("test.recorded");
    assertTrue(errText().contains("unknown setting weft.locality.wiat (ignored); did you mean weft.locality.wait?"), errText());
    assertTrue(errText().contains("spark.executor.memory is a Spark setting, ignored by Weft; use weft.executor.memory"),
        errText());
  }

  @Test
  void helpPrintsTheUsageAndExitsZero() {
    assertEquals(0, submit("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: weft submit"), out.toString(StandardCharsets.UTF_8));
    assertEquals("", errText());
  }

  @Test
  void anUnreachableClusterIsOneMessageAndExitOne() throws IOException {
    Path jar = appJar(RecordingApp.class);
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration(false);
    conf.set("yarn.resourcemanager.address", "127.0.0.1:" + port);
    Path libs = Files.write(dir.resolve("weft-libs.zip"), new byte[0]); // stands for Weft's jars
    int rc = new WeftSubmit(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), () -> conf).run(List.of("--master", "yarn",
        "--conf", "weft.yarn.connect.timeout=1s", "--conf", "weft.yarn.archive=" + libs.toUri(),
        "--class", RecordingApp.class.getName(), jar.toString()));
    assertEquals(1, rc, errText());
    assertTrue(errText().contains("127.0.0.1:" + port + " did not answer"), errText());
  }

  /** Records what it saw in a system property (it may run in another class loader). */
  public static final class RecordingApp {
    public static void main(String[] args) {
      String s = System.getProperty("weft.master") + "|" + System.getProperty("weft.app.name") + "|"
          + System.getProperty("weft.locality.wait") + "|" + String.join(",", args);
      System.setProperty("test.recorded", s);
    }
  }

  /** Fails the way a user's program does. */
  public static final class FailingApp {
    public static void main(String[] args) {
      throw new IllegalStateException("no input named 'zzz'");
    }
  }
}
