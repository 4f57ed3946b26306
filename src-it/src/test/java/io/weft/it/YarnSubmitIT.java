package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.it.apps.PrintsAndReturns;
import io.weft.it.apps.RunsUntilKilled;
import io.weft.it.apps.ThrowsOnStart;
import io.weft.it.apps.WaitsForRelease;
import io.weft.it.yarn.WeftOnYarn;
import io.weft.yarn.client.Launcher;
import io.weft.yarn.client.WeftSubmit;
import io.weft.yarn.client.YarnSubmission;
import io.weft.yarn.client.YarnSubmitter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submission to YARN end to end on the embedded cluster: the client stages Weft's packaged jars
 * (yarn-client/target, exactly what bin/weft ships) or an archive of them, and an application
 * jar, into HDFS; the NodeManager launches the real ApplicationMaster JVM, which runs the
 * application's main and unregisters. Asserts the YARN final state and diagnostics, the client's
 * exit code and output, and that the staging directory is gone. The client gets the in-process
 * configuration (with MiniDFSCluster's StaticMapping), so the shipped conf must be filtered.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class YarnSubmitIT {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(1).build();

  @TempDir
  static Path tmp;

  @Test
  void applicationThatReturnsSucceeds() throws Exception {
    Path jar = WeftOnYarn.appJar(PrintsAndReturns.class, tmp);
    Path shipped = Files.writeString(tmp.resolve("shipped.txt"), "from the client");
    Run run = submit(PrintsAndReturns.class, jar, List.of("hello", "two words"), List.of(shipped.toString()));
    printLogsIfFailing(run, () -> {
      assertEquals(0, run.exitCode, run.output());
      ApplicationReport report = report(run.appId);
      assertEquals(YarnApplicationState.FINISHED, report.getYarnApplicationState());
      assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus());
      assertTrue(run.out.contains("Tracking URL: "), run.output());
      assertTrue(run.out.contains(run.appId + " succeeded"), run.output());
      assertStagingDirGone(run.appId);
    });
  }

  /** Through weft submit's command line, with Weft's jars as a world-readable archive on HDFS. */
  @Test
  void applicationThatThrowsFailsWithItsMessageAndExitCode() throws Exception {
    Path jar = WeftOnYarn.appJar(ThrowsOnStart.class, tmp);
    String archive = uploadWeftArchive();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = new WeftSubmit(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), CLUSTER::configuration).run(List.of(
            "--master", "yarn", "--class", ThrowsOnStart.class.getName(), "--name", "throws",
            "--conf", "weft.yarn.archive=" + archive, "--conf", "weft.am.memory=256m",
            "--conf", "weft.yarn.report.interval=250ms", jar.toString(), "/data/not-there"));
    Run run = new Run(appIdIn(out.toString(StandardCharsets.UTF_8)), rc,
        out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    System.out.println("==== weft submit output\n" + run.output());
    printLogsIfFailing(run, () -> {
      assertEquals(1, run.exitCode, run.output());
      ApplicationReport report = report(run.appId);
      assertEquals(FinalApplicationStatus.FAILED, report.getFinalApplicationStatus());
      assertTrue(report.getDiagnostics().contains("input /data/not-there does not exist"), report.getDiagnostics());
      assertTrue(run.err.contains("input /data/not-there does not exist"), run.output());
      assertFalse(run.err.contains("\tat "), "no stack traces for the user: " + run.output());
      assertStagingDirGone(run.appId);
    });
  }

  /**
   * {@code weft status} and {@code weft kill} through the launcher, pointed at the cluster with
   * generic {@code -D} options only; the waiting client then reports the kill and removes the
   * staging directory, which the killed ApplicationMaster never got to delete.
   */
  @Test
  void statusAndKillThroughTheLauncherAndTheClientCleansUpAfterAKill() throws Exception {
    YarnSubmission s = submission(RunsUntilKilled.class, WeftOnYarn.appJar(RunsUntilKilled.class, tmp), List.of(), List.of(), Map.of());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (YarnSubmitter submitter = new YarnSubmitter(CLUSTER.configuration(), System.out,
        new PrintStream(err, true, StandardCharsets.UTF_8))) {
      ApplicationId appId = submitter.submit(s);
      String rm = CLUSTER.configuration().get(YarnConfiguration.RM_ADDRESS);
      assertEquals(0, Launcher.run(List.of("status", "-D", YarnConfiguration.RM_ADDRESS + "=" + rm, appId.toString())));
      waitForState(appId, YarnApplicationState.RUNNING);
      assertEquals(0, Launcher.run(List.of("kill", "-D", YarnConfiguration.RM_ADDRESS + "=" + rm, appId.toString())));
      assertEquals(1, submitter.awaitCompletion(appId, s.conf()));
      assertEquals(YarnApplicationState.KILLED, report(appId).getYarnApplicationState());
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("KILLED"), err.toString(StandardCharsets.UTF_8));
      assertStagingDirGone(appId);
    }
  }

  /**
   * The ResourceManager's progress for the application follows the AM's finished share of tasks:
   * with the map stage done and the reduce stage held back by the test, the RM reports between 0
   * and 100%; once the job ends, 100%. (Issue 13 found it stuck at 0% for a whole run.)
   */
  @Test
  void resourceManagerProgressMovesWithTheTasksAndEndsAtOneHundredPercent() throws Exception {
    Path release = tmp.resolve("release-progress");
    YarnSubmission s = submission(WaitsForRelease.class, WeftOnYarn.appJar(WaitsForRelease.class, tmp),
        List.of(release.toString()), List.of(), Map.of("weft.executor.instances", "1",
            "weft.executor.memory", "384m", "weft.executor.memoryOverhead", "128m", "weft.executor.cores", "2"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (YarnSubmitter submitter = new YarnSubmitter(CLUSTER.configuration(),
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err)) {
      ApplicationId appId = submitter.submit(s);
      float midway = awaitProgressAbove(appId, 0f);
      Files.createFile(release);
      int rc = submitter.awaitCompletion(appId, s.conf());
      Run run = new Run(appId, rc, out.toString(StandardCharsets.UTF_8), "");
      printLogsIfFailing(run, () -> {
        assertTrue(midway > 0f && midway < 1f, "progress while the reduce stage waits: " + midway);
        assertEquals(0, rc, run.output());
        ApplicationReport report = report(appId);
        assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus());
        assertEquals(1f, report.getProgress(), "the RM's progress of the finished application");
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        CLUSTER.printContainerLogs(appId.toString(), new PrintStream(logs, true, StandardCharsets.UTF_8));
        String driverOut = logs.toString(StandardCharsets.UTF_8);
        Map<Integer, Long> expected = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
          expected.merge(i % 10, (long) i, Long::sum);
        }
        expected.forEach((k, v) -> assertTrue(driverOut.contains("WaitsForRelease: " + k + "=" + v),
            "sum of key " + k + " in the driver's output:\n" + driverOut));
      });
    }
  }

  /** Polls the RM (bounded) until it reports more than {@code floor} for the application; returns that. */
  private static float awaitProgressAbove(ApplicationId appId, float floor) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (true) {
      ApplicationReport r = report(appId);
      if (r.getProgress() > floor) {
        return r.getProgress();
      }
      assertTrue(r.getYarnApplicationState() != YarnApplicationState.FINISHED
          && r.getYarnApplicationState() != YarnApplicationState.FAILED, appId + " ended at progress 0: " + r);
      assertTrue(System.nanoTime() < deadline, "the RM never reported progress above " + floor + " for " + appId);
      Thread.sleep(100);
    }
  }

  /** YarnClient waits until the RM has decided; a rejection (unknown queue) throws from submit. */
  @Test
  void applicationRejectedBeforeItsAmRanIsCleanedUpByTheClient() throws Exception {
    YarnSubmission s = submission(PrintsAndReturns.class, WeftOnYarn.appJar(PrintsAndReturns.class, tmp), List.of(), List.of(),
        Map.of("weft.yarn.queue", "no-such-queue"));
    IOException e;
    try (YarnSubmitter submitter = new YarnSubmitter(CLUSTER.configuration(), System.out, System.err)) {
      e = assertThrows(IOException.class, () -> submitter.run(s));
    }
    assertTrue(e.getMessage().contains("unknown queue: no-such-queue"), e.getMessage());
    ApplicationId appId = appIdIn(e.getMessage());
    assertEquals(YarnApplicationState.FAILED, report(appId).getYarnApplicationState());
    assertStagingDirGone(appId);
  }

  @Test
  void impossibleExecutorSizeIsRefusedBeforeSubmission() throws Exception {
    YarnSubmission s = submission(PrintsAndReturns.class, WeftOnYarn.appJar(PrintsAndReturns.class, tmp), List.of(), List.of(),
        Map.of("weft.executor.memory", "16g"));
    int appsBefore = applications();
    try (YarnSubmitter submitter = new YarnSubmitter(CLUSTER.configuration(), System.out, System.err)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> submitter.run(s));
      assertTrue(e.getMessage().contains("weft.executor.memory"), e.getMessage());
    }
    assertEquals(appsBefore, applications(), "nothing was submitted");
  }

  private record Run(ApplicationId appId, int exitCode, String out, String err) {
    String output() {
      return "stdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  private interface Check {
    void run() throws Exception;
  }

  private static void printLogsIfFailing(Run run, Check check) throws Exception {
    try {
      check.run();
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(String.valueOf(run.appId), System.err);
      throw e;
    }
  }

  private static Run submit(Class<?> main, Path jar, List<String> args, List<String> files) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    YarnSubmission s = submission(main, jar, args, files, Map.of());
    try (YarnSubmitter submitter = new YarnSubmitter(CLUSTER.configuration(),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))) {
      ApplicationId appId = submitter.submit(s);
      int rc = submitter.awaitCompletion(appId, s.conf());
      Run run = new Run(appId, rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
      System.out.println("==== weft client output for " + main.getSimpleName() + "\n" + run.output());
      return run;
    }
  }

  private static YarnSubmission submission(Class<?> main, Path jar, List<String> args, List<String> files,
      Map<String, String> extra) throws IOException {
    Map<String, String> settings = new HashMap<>(Map.of(
        "weft.master", "yarn", "weft.app.name", main.getSimpleName(),
        "weft.am.memory", "256m", "weft.yarn.report.interval", "250ms"));
    settings.putAll(extra);
    return new YarnSubmission(main.getName(), jar.toString(), List.of(), files, args, settings, WeftOnYarn.weftJars());
  }

  /** Weft's jars zipped flat (stored, not compressed: jars are) and put on HDFS, world-readable. */
  private static String uploadWeftArchive() throws IOException {
    Path zip = tmp.resolve("weft-libs.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.setLevel(0);
      for (Path jar : WeftOnYarn.weftJars()) {
        out.putNextEntry(new ZipEntry(jar.getFileName().toString()));
        Files.copy(jar, out);
        out.closeEntry();
      }
    }
    FileSystem fs = CLUSTER.fileSystem();
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path("/apps/weft/weft-libs.zip");
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(zip.toUri()), target);
    return fs.makeQualified(target).toString();
  }

  private static void waitForState(ApplicationId appId, YarnApplicationState state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (report(appId).getYarnApplicationState() != state) {
      assertTrue(System.nanoTime() < deadline, appId + " never reached " + state);
      Thread.sleep(200);
    }
  }

  private static ApplicationId appIdIn(String text) {
    Matcher m = Pattern.compile("application_\\d+_\\d+").matcher(text);
    assertTrue(m.find(), "no application id in: " + text);
    return ApplicationId.fromString(m.group());
  }

  private static void assertStagingDirGone(ApplicationId appId) throws IOException {
    FileSystem fs = CLUSTER.fileSystem();
    org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path(fs.getHomeDirectory(), ".weftStaging/" + appId);
    assertFalse(fs.exists(staging), staging + " still exists");
  }

  private static ApplicationReport report(ApplicationId appId) throws Exception {
    try (YarnClient yarn = YarnClient.createYarnClient()) {
      yarn.init(CLUSTER.configuration());
      yarn.start();
      return yarn.getApplicationReport(appId);
    }
  }

  private static int applications() throws Exception {
    try (YarnClient yarn = YarnClient.createYarnClient()) {
      yarn.init(CLUSTER.configuration());
      yarn.start();
      return yarn.getApplications().size();
    }
  }
}
