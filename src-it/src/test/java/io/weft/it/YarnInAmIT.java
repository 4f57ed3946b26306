package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.bench.OutputFactory;
import io.weft.bench.TextGenerator;
import io.weft.it.yarn.WeftOnYarn;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code weft.yarn.inAm.mode=auto} on the embedded cluster: WordCount of a small HDFS file runs
 * inside the ApplicationMaster with no executor container (the ResourceManager allocated the
 * attempt one container, its AM, and the NodeManagers launched only that one), says so, and
 * counts the same words as plain Java; the same input over the size threshold runs on executor
 * containers (three launched, at least three allocated), which shows both counts are real measures.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class YarnInAmIT {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(2).build();

  private static FileSystem fs;

  @BeforeAll
  static void generateInput() throws IOException {
    fs = CLUSTER.fileSystem();
    new TextGenerator(1).generate(OutputFactory.hadoop(fs, new Path("/in/small")), 1L << 20, 11L);
  }

  private static String uri(String path) {
    return fs.makeQualified(new Path(path)).toString();
  }

  private static WeftOnYarn.Run wordCount(String name, String output, Map<String, String> extra) throws IOException {
    Map<String, String> settings = WeftOnYarn.settings(name, 2);
    settings.put("weft.yarn.inAm.mode", "auto");
    settings.putAll(extra);
    return WeftOnYarn.run(CLUSTER, "io.weft.examples.WordCount", WeftOnYarn.examplesJar(),
        List.of(uri("/in/small"), uri(output)), settings);
  }

  @Test
  void aSmallJobRunsInsideTheApplicationMasterWithNoExecutorContainer() throws Exception {
    WeftOnYarn.Run run = wordCount("in-am", "/out/in-am", Map.of());
    try {
      assertSucceeded(run);
      assertTrue(run.output().contains("Running inside the ApplicationMaster (weft.yarn.inAm.mode=auto: "
          + "1 input path(s)"), run.output());
      // the ApplicationMaster's final diagnostics, which the client prints with the end state
      assertTrue(run.output().contains(run.appId() + " is FINISHED (Ran inside the ApplicationMaster"), run.output());
      ExampleChecks.checkWordCount(fs, new Path("/in/small"), new Path("/out/in-am"));

      String amContainer = amContainerId(run.appId());
      assertEquals(1, allocatedContainers(run.appId()), "the ResourceManager allocated the AM's container only");
      assertEquals(List.of(amContainer), launchedContainers(run.appId()), "the NodeManagers launched only the AM");
      assertEquals(List.of(), WeftOnYarn.executorSummaries(CLUSTER, run.appId()), "no executor ran");
      assertFalse(WeftOnYarn.stagingDirExists(CLUSTER, run.appId()), "staging dir left behind");
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(run.appId().toString(), System.err);
      throw e;
    }
  }

  @Test
  void theSameJobOverTheThresholdRunsOnExecutors() throws Exception {
    WeftOnYarn.Run run = wordCount("on-executors", "/out/on-executors",
        Map.of("weft.yarn.inAm.maxInputBytes", "64k"));
    try {
      assertSucceeded(run);
      assertTrue(run.output().contains("Running on executor containers (weft.yarn.inAm.mode=auto: "), run.output());
      assertFalse(run.output().contains("Ran inside the ApplicationMaster"), run.output());
      ExampleChecks.checkWordCount(fs, new Path("/in/small"), new Path("/out/on-executors"));
      // the ResourceManager may grant a surplus container before the AM's withdrawal of the
      // satisfied requests reaches it (released unlaunched), so at least the AM and 2 executors
      int allocated = allocatedContainers(run.appId());
      assertTrue(allocated >= 3, "the AM and 2 executors, at least: " + allocated);
      assertEquals(3, launchedContainers(run.appId()).size(), launchedContainers(run.appId()).toString());
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(run.appId().toString(), System.err);
      throw e;
    }
  }

  private static void assertSucceeded(WeftOnYarn.Run run) throws Exception {
    assertEquals(0, run.exitCode(), run.output());
    ApplicationReport report = WeftOnYarn.report(CLUSTER, run.appId());
    assertEquals(YarnApplicationState.FINISHED, report.getYarnApplicationState());
    assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus());
  }

  private static RMApp rmApp(ApplicationId appId) {
    return CLUSTER.cluster().yarnCluster().getResourceManager().getRMContext().getRMApps().get(appId);
  }

  /** The ResourceManager's count of containers it allocated to the application's (only) attempt. */
  private static int allocatedContainers(ApplicationId appId) {
    return rmApp(appId).getCurrentAppAttempt().getRMAppAttemptMetrics().getTotalAllocatedContainers();
  }

  private static String amContainerId(ApplicationId appId) {
    return rmApp(appId).getCurrentAppAttempt().getMasterContainer().getId().toString();
  }

  /**
   * The containers the NodeManagers launched for the application: each gets a log directory
   * {@code <log-dir>/<appId>/<containerId>} when it starts.
   */
  private static List<String> launchedContainers(ApplicationId appId) throws IOException {
    List<String> ids = new ArrayList<>();
    for (java.nio.file.Path logDir : CLUSTER.cluster().nodeManagerLogDirs()) {
      java.nio.file.Path appDir = logDir.resolve(appId.toString());
      if (Files.isDirectory(appDir)) {
        try (Stream<java.nio.file.Path> dirs = Files.list(appDir)) {
          dirs.map(d -> d.getFileName().toString()).forEach(ids::add);
        }
      }
    }
    Collections.sort(ids);
    return ids;
  }
}
