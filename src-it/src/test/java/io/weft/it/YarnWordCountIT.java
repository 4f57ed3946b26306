package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.bench.OutputFactory;
import io.weft.bench.TextGenerator;
import io.weft.yarn.client.WeftJars;
import io.weft.yarn.client.YarnSubmission;
import io.weft.yarn.client.YarnSubmitter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The WordCount example on YARN: the real ApplicationMaster hosts the driver and asks for two
 * executor containers, which register over the authenticated transport, run the map tasks,
 * fetch each other's shuffle blocks and write to HDFS. The output must equal a plain-Java count
 * of the same input, and no executor JVM may outlive the application.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class YarnWordCountIT {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(2).blockSize(4L << 20).build();

  private static FileSystem fs;

  @BeforeAll
  static void generateInput() throws IOException {
    fs = CLUSTER.fileSystem();
    new TextGenerator(2).generate(OutputFactory.hadoop(fs, new Path("/in/text")), 24L << 20, 7L);
  }

  @Test
  void wordCountOnTwoExecutorsMatchesAPlainJavaCount() throws Exception {
    String in = fs.makeQualified(new Path("/in/text")).toString();
    String out = fs.makeQualified(new Path("/out/wordcount")).toString();
    YarnSubmission s = new YarnSubmission("io.weft.examples.WordCount", examplesJar().toString(), List.of(),
        List.of(), List.of(in, out), Map.of(
            "weft.master", "yarn", "weft.app.name", "yarn-wordcount",
            "weft.am.memory", "384m", "weft.executor.memory", "384m", "weft.executor.memoryOverhead", "128m",
            "weft.executor.instances", "2", "weft.executor.cores", "2",
            "weft.yarn.report.interval", "250ms"), weftJars());
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    ApplicationId appId;
    int rc;
    try (YarnSubmitter submitter = new YarnSubmitter(CLUSTER.configuration(),
        new PrintStream(output, true, StandardCharsets.UTF_8), new PrintStream(output, true, StandardCharsets.UTF_8))) {
      appId = submitter.submit(s);
      rc = submitter.awaitCompletion(appId, s.conf());
    }
    String text = output.toString(StandardCharsets.UTF_8);
    System.out.println("==== weft client output\n" + text);
    try {
      assertEquals(0, rc, text);
      ApplicationReport report = report(appId);
      assertEquals(YarnApplicationState.FINISHED, report.getYarnApplicationState());
      assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus());
      ExampleChecks.checkWordCount(fs, new Path("/in/text"), new Path("/out/wordcount"));
      assertTrue(fs.exists(new Path("/out/wordcount/_SUCCESS")));
      assertNoExecutorJvmLeft();
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(appId.toString(), System.err);
      throw e;
    }
    CLUSTER.printContainerLogs(appId.toString(), System.out);
  }

  /** Executor containers exit when the driver tells them; none may still run afterwards. */
  private static void assertNoExecutorJvmLeft() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      long left = ProcessHandle.allProcesses()
          .filter(p -> p.info().commandLine().orElse("").contains("io.weft.yarn.executor.YarnExecutorMain"))
          .count();
      if (left == 0) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, left + " executor JVMs still run after the application ended");
      Thread.sleep(200);
    }
  }

  private static java.nio.file.Path examplesJar() throws IOException {
    java.nio.file.Path target = java.nio.file.Path.of("..", "examples", "target").toAbsolutePath().normalize();
    try (DirectoryStream<java.nio.file.Path> jars = Files.newDirectoryStream(target, "weft-examples-*.jar")) {
      for (java.nio.file.Path jar : jars) {
        return jar;
      }
    }
    throw new IllegalStateException("examples are not packaged in " + target);
  }

  /** Weft's packaged jars, exactly what bin/weft ships: the launcher jar and its lib/. */
  private static List<java.nio.file.Path> weftJars() throws IOException {
    java.nio.file.Path target = java.nio.file.Path.of("..", "yarn-client", "target").toAbsolutePath().normalize();
    try (DirectoryStream<java.nio.file.Path> jars = Files.newDirectoryStream(target, "weft-yarn-client-*.jar")) {
      for (java.nio.file.Path jar : jars) {
        if (!jar.getFileName().toString().endsWith("-tests.jar")) {
          return WeftJars.inDirectory(jar, target.resolve("lib"));
        }
      }
    }
    throw new IllegalStateException("yarn-client is not packaged in " + target);
  }

  private static ApplicationReport report(ApplicationId appId) throws Exception {
    try (YarnClient yarn = YarnClient.createYarnClient()) {
      yarn.init(CLUSTER.configuration());
      yarn.start();
      return yarn.getApplicationReport(appId);
    }
  }
}
