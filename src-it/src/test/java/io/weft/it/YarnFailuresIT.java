package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.it.apps.HaltsInTask;
import io.weft.it.apps.ThrowsInTask;
import io.weft.it.yarn.WeftOnYarn;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on YARN, and executors that keep dying: each case must end with a non-zero client exit, the cause in the client's
 * output and in the application's diagnostics, a FAILED application, no partial output, no
 * staging directory and no executor JVM left. (An impossible executor size is refused before
 * submission: YarnSubmitIT; so is a main class missing from the jar, here.)
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class YarnFailuresIT {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(1).build();

  @TempDir
  static java.nio.file.Path tmp;

  private static FileSystem fs;

  @BeforeAll
  static void input() throws Exception {
    fs = CLUSTER.fileSystem();
    try (FSDataOutputStream out = fs.create(new Path("/in/lines.txt"))) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 1000; i++) {
        sb.append(i == 700 ? "a poison line\n" : "line " + i + "\n");
      }
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String uri(String path) {
    return fs.makeQualified(new Path(path)).toString();
  }

  private static void assertFailedWith(WeftOnYarn.Run run, String cause) throws Exception {
    try {
      assertNotEquals(0, run.exitCode(), run.output());
      assertTrue(run.output().contains(cause), "client output lacks '" + cause + "':\n" + run.output());
      ApplicationReport report = WeftOnYarn.report(CLUSTER, run.appId());
      assertEquals(FinalApplicationStatus.FAILED, report.getFinalApplicationStatus());
      assertTrue(report.getDiagnostics().contains(cause), "diagnostics lack '" + cause + "': " + report.getDiagnostics());
      assertFalse(run.output().contains("\tat "), "no stack traces in the client's output:\n" + run.output());
      assertFalse(WeftOnYarn.stagingDirExists(CLUSTER, run.appId()), "staging dir left behind");
      assertTrue(WeftOnYarn.noExecutorJvmLeft(), "executor JVMs outlived the application");
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(run.appId().toString(), System.err);
      throw e;
    }
  }

  private static Map<String, String> settings(String name) {
    Map<String, String> s = new HashMap<>(WeftOnYarn.settings(name, 1));
    s.put("weft.task.maxFailures", "2");
    return s;
  }

  @Test
  void missingInput() throws Exception {
    WeftOnYarn.Run run = WeftOnYarn.run(CLUSTER, "io.weft.examples.WordCount", WeftOnYarn.examplesJar(),
        List.of(uri("/no/such/input"), uri("/out/missing")), settings("missing-input"));
    assertFailedWith(run, "Input path does not exist: " + uri("/no/such/input"));
    assertFalse(fs.exists(new Path("/out/missing")), "no output for a job that could not start");
  }

  @Test
  void existingOutput() throws Exception {
    Path existing = new Path("/out/existing/keep.txt");
    try (FSDataOutputStream out = fs.create(existing)) {
      out.write("precious".getBytes(StandardCharsets.UTF_8));
    }
    WeftOnYarn.Run run = WeftOnYarn.run(CLUSTER, "io.weft.examples.WordCount", WeftOnYarn.examplesJar(),
        List.of(uri("/in/lines.txt"), uri("/out/existing")), settings("existing-output"));
    assertFailedWith(run, "Output directory " + uri("/out/existing") + " already exists");
    assertEquals(1, fs.listStatus(new Path("/out/existing")).length, "the existing directory is untouched");
  }

  @Test
  void userFunctionThatAlwaysThrows() throws Exception {
    WeftOnYarn.Run run = WeftOnYarn.run(CLUSTER, ThrowsInTask.class.getName(), WeftOnYarn.appJar(ThrowsInTask.class, tmp),
        List.of(uri("/in/lines.txt"), uri("/out/poison")), settings("throws-in-task"));
    assertFailedWith(run, "cannot parse poison record 'a poison line'");
    assertFalse(fs.exists(new Path("/out/poison")), "a failed job leaves no output");
  }

  @Test
  void executorsThatKeepDyingUseUpTheFailureBudgetAndTheApplicationFailsSayingSo() throws Exception {
    Map<String, String> settings = settings("halts-in-task");
    settings.put("weft.yarn.maxExecutorFailures", "1");
    settings.put("weft.task.maxFailures", "10"); // so the executor budget, not the task's, ends the job
    long start = System.nanoTime();
    WeftOnYarn.Run run = WeftOnYarn.run(CLUSTER, HaltsInTask.class.getName(), WeftOnYarn.appJar(HaltsInTask.class, tmp),
        List.of(), settings);
    // executor 1 died and was replaced (1 failure allowed); its replacement died too, and none is left
    assertFailedWith(run, "no executor is left and none can be started: 2 executor containers failed, "
        + "more than weft.yarn.maxExecutorFailures (1) allows");
    assertTrue(run.output().contains("exited with code 3"), run.output());
    System.out.println("halts-in-task: submit to FAILED in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + " s");
  }

  /** Found in a second on this machine, naming class and jar, instead of after the application started. */
  @Test
  void mainClassThatDoesNotExistIsRefusedBeforeSubmission() throws Exception {
    int before = applications();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeftOnYarn.run(CLUSTER,
        "io.weft.examples.NoSuchExample", WeftOnYarn.examplesJar(), List.of(), settings("no-such-class")));
    assertTrue(e.getMessage().contains("class io.weft.examples.NoSuchExample not found in " + WeftOnYarn.examplesJar()),
        e.getMessage());
    assertEquals(before, applications(), "nothing was submitted");
  }

  private static int applications() {
    return CLUSTER.cluster().yarnCluster().getResourceManager().getRMContext().getRMApps().size();
  }
}
