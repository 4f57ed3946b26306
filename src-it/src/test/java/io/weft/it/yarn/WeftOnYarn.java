package io.weft.it.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.it.MiniClusterExtension;
import io.weft.yarn.client.WeftJars;
import io.weft.yarn.client.YarnSubmission;
import io.weft.yarn.client.YarnSubmitter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.client.api.YarnClient;

/**
 * Runs Weft applications on a test's embedded cluster the way {@code weft submit --master yarn}
 * does (Weft's packaged jars from yarn-client/target, an application jar, settings), and answers
 * the questions the tests ask afterwards: the client's exit code and output, the ResourceManager's
 * report, whether the staging directory and every executor JVM are gone.
 */
public final class WeftOnYarn {
  private WeftOnYarn() {}

  /** What one submission gave. */
  public record Run(ApplicationId appId, int exitCode, String output) {}

  /** Small containers that fit two executors and the AM on the embedded NodeManagers. */
  public static Map<String, String> settings(String appName, int executors) {
    Map<String, String> s = new HashMap<>(Map.of(
        "weft.master", "yarn", "weft.app.name", appName,
        "weft.am.memory", "384m", "weft.executor.memory", "384m", "weft.executor.memoryOverhead", "128m",
        "weft.executor.instances", String.valueOf(executors), "weft.executor.cores", "2",
        "weft.yarn.report.interval", "250ms"));
    return s;
  }

  /** Submits and waits; prints the client's output and, when asked, the containers' logs. */
  public static Run run(MiniClusterExtension cluster, String mainClass, Path appJar, List<String> args,
      Map<String, String> settings) throws IOException {
    return run(cluster.configuration(), mainClass, appJar, args, settings);
  }

  /** As {@link #run(MiniClusterExtension, String, Path, List, Map)}, with the client's (and so the AM's) Hadoop configuration. */
  public static Run run(org.apache.hadoop.conf.Configuration clientConf, String mainClass, Path appJar,
      List<String> args, Map<String, String> settings) throws IOException {
    YarnSubmission s = new YarnSubmission(mainClass, appJar.toString(), List.of(), List.of(), args,
        settings, weftJars());
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);
    try (YarnSubmitter submitter = new YarnSubmitter(clientConf, print, print)) {
      ApplicationId appId = submitter.submit(s);
      int rc = submitter.awaitCompletion(appId, s.conf());
      String text = output.toString(StandardCharsets.UTF_8);
      System.out.println("==== weft client output for " + mainClass + "\n" + text);
      return new Run(appId, rc, text);
    }
  }

  public static ApplicationReport report(MiniClusterExtension cluster, ApplicationId appId) throws Exception {
    try (YarnClient yarn = YarnClient.createYarnClient()) {
      yarn.init(cluster.configuration());
      yarn.start();
      return yarn.getApplicationReport(appId);
    }
  }

  public static boolean stagingDirExists(MiniClusterExtension cluster, ApplicationId appId) throws IOException {
    FileSystem fs = cluster.fileSystem();
    return fs.exists(new org.apache.hadoop.fs.Path(fs.getHomeDirectory(), ".weftStaging/" + appId));
  }

  /** Waits (bounded) until no executor JVM runs on this machine; false if some still do. */
  public static boolean noExecutorJvmLeft() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      long left = ProcessHandle.allProcesses()
          .filter(p -> p.info().commandLine().orElse("").contains("io.weft.yarn.executor.YarnExecutorMain"))
          .count();
      if (left == 0) {
        return true;
      }
      Thread.sleep(200);
    }
    return false;
  }

  /** What one executor container said when it stopped (its stdout, written by YarnExecutorMain). */
  public record ExecutorSummary(String executorId, long tasks, long remoteFetches) {}

  private static final java.util.regex.Pattern STOPPED = java.util.regex.Pattern.compile(
      "executor (\\S+) stopped: .*; ran (\\d+) tasks and fetched (\\d+) shuffle blocks from other executors");

  /** The stop lines of the application's executor containers, from the NodeManagers' log dirs. */
  public static List<ExecutorSummary> executorSummaries(MiniClusterExtension cluster, ApplicationId appId)
      throws IOException {
    List<ExecutorSummary> out = new java.util.ArrayList<>();
    for (Path logDir : cluster.cluster().nodeManagerLogDirs()) {
      Path appDir = logDir.resolve(appId.toString());
      if (!Files.isDirectory(appDir)) {
        continue;
      }
      try (var files = Files.walk(appDir)) {
        for (Path stdout : files.filter(f -> f.getFileName().toString().equals("stdout")).toList()) {
          for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
            java.util.regex.Matcher m = STOPPED.matcher(line);
            if (m.find()) {
              out.add(new ExecutorSummary(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
            }
          }
        }
      }
    }
    return out;
  }

  /** Every line the application's containers (the AM's included) wrote to stdout. */
  public static List<String> stdoutLines(MiniClusterExtension cluster, ApplicationId appId) throws IOException {
    return containerLogLines(cluster, appId, "stdout");
  }

  /** Every line of the application's container log files named {@code fileName} (stdout, stderr). */
  public static List<String> containerLogLines(MiniClusterExtension cluster, ApplicationId appId, String fileName)
      throws IOException {
    List<String> out = new java.util.ArrayList<>();
    for (Path logDir : cluster.cluster().nodeManagerLogDirs()) {
      Path appDir = logDir.resolve(appId.toString());
      if (Files.isDirectory(appDir)) {
        try (var files = Files.walk(appDir)) {
          for (Path log : files.filter(f -> f.getFileName().toString().equals(fileName)).toList()) {
            out.addAll(Files.readAllLines(log, StandardCharsets.UTF_8));
          }
        }
      }
    }
    return out;
  }

  /**
   * Asserts that both executor containers of a two-executor application ran tasks and that
   * shuffle blocks crossed between them: what makes a run a test of cross-JVM behaviour.
   */
  public static void assertTwoExecutorsWorkedAndShuffled(MiniClusterExtension cluster, ApplicationId appId)
      throws IOException {
    List<ExecutorSummary> executors = executorSummaries(cluster, appId);
    assertEquals(2, executors.size(), "stop lines of the executors: " + executors);
    assertTrue(executors.stream().allMatch(e -> e.tasks() > 0),
        "an executor ran nothing: " + executors);
    assertTrue(executors.stream().mapToLong(ExecutorSummary::remoteFetches).sum() > 0,
        "no shuffle block crossed between executors: " + executors);
  }

  /** The packaged examples jar, as a user would submit it. */
  public static Path examplesJar() throws IOException {
    Path target = Path.of("..", "examples", "target").toAbsolutePath().normalize();
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "weft-examples-*.jar")) {
      for (Path jar : jars) {
        return jar;
      }
    }
    throw new IllegalStateException("examples are not packaged in " + target);
  }

  /**
   * A jar holding {@code main} (its lambdas included) and its nested classes, as a user would
   * build it.
   */
  public static Path appJar(Class<?> main, Path dir) throws IOException {
    Path jar = dir.resolve(main.getSimpleName() + ".jar");
    try (OutputStream file = Files.newOutputStream(jar);
         JarOutputStream out = new JarOutputStream(file)) {
      addClass(out, main);
    }
    return jar;
  }

  private static void addClass(JarOutputStream out, Class<?> c) throws IOException {
    String entry = c.getName().replace('.', '/') + ".class";
    try (InputStream in = c.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    for (Class<?> nested : c.getDeclaredClasses()) {
      addClass(out, nested);
    }
  }

  /** Weft's packaged jars, exactly what bin/weft ships: the relocated runtime jar and Hadoop's jars. */
  public static List<Path> weftJars() throws IOException {
    Path target = Path.of("..", "yarn-client", "target").toAbsolutePath().normalize();
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "weft-yarn-client-*.jar")) {
      for (Path jar : jars) {
        if (!jar.getFileName().toString().endsWith("-tests.jar")) {
          return WeftJars.beside(jar);
        }
      }
    }
    throw new IllegalStateException("yarn-client is not packaged in " + target);
  }
}
