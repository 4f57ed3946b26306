package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.bench.JoinGenerator;
import io.weft.bench.OutputFactory;
import io.weft.bench.TeraGenGenerator;
import io.weft.bench.TextGenerator;
import io.weft.it.yarn.WeftOnYarn;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WordCount, Sort and Join submitted to YARN with two executors on two NodeManagers, over 50 MB
 * generated HDFS inputs: the real ApplicationMaster hosts the driver, executor containers fetch
 * each other's shuffle blocks over the authenticated transport, and each output must equal a
 * plain-Java computation of the same input. Afterwards the application is FINISHED/SUCCEEDED,
 * its staging directory is gone and no executor JVM is left.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class YarnExamplesIT {
  private static final long INPUT_BYTES = 50L << 20;

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(2).blockSize(8L << 20).build();

  private static FileSystem fs;

  @BeforeAll
  static void generateInputs() throws IOException {
    fs = CLUSTER.fileSystem();
    new TextGenerator(2).generate(OutputFactory.hadoop(fs, new Path("/in/text")), INPUT_BYTES, 7L);
    new TeraGenGenerator(2).generate(OutputFactory.hadoop(fs, new Path("/in/tera")), INPUT_BYTES, 7L);
    new JoinGenerator(2).generate(OutputFactory.hadoop(fs, new Path("/in/join")), INPUT_BYTES, 7L);
  }

  private static String uri(String path) {
    return fs.makeQualified(new Path(path)).toString();
  }

  private static void submitAndCheck(String example, List<String> args, Check outputCheck) throws Exception {
    WeftOnYarn.Run run = WeftOnYarn.run(CLUSTER, "io.weft.examples." + example, WeftOnYarn.examplesJar(), args,
        WeftOnYarn.settings("yarn-" + example, 2));
    try {
      assertEquals(0, run.exitCode(), run.output());
      ApplicationReport report = WeftOnYarn.report(CLUSTER, run.appId());
      assertEquals(YarnApplicationState.FINISHED, report.getYarnApplicationState());
      assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus());
      outputCheck.run();
      assertFalse(WeftOnYarn.stagingDirExists(CLUSTER, run.appId()), "staging dir left behind");
      assertTrue(WeftOnYarn.noExecutorJvmLeft(), "executor JVMs outlived the application");
      // both executor processes ran tasks, and shuffle blocks crossed between them
      WeftOnYarn.assertTwoExecutorsWorkedAndShuffled(CLUSTER, run.appId());
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(run.appId().toString(), System.err);
      throw e;
    }
  }

  private interface Check {
    void run() throws Exception;
  }

  @Test
  void wordCount() throws Exception {
    submitAndCheck("WordCount", List.of(uri("/in/text"), uri("/out/wordcount")),
        () -> ExampleChecks.checkWordCount(fs, new Path("/in/text"), new Path("/out/wordcount")));
  }

  @Test
  void sort() throws Exception {
    submitAndCheck("Sort", List.of(uri("/in/tera"), uri("/out/sort"), "4"),
        () -> ExampleChecks.checkSort(fs, new Path("/in/tera"), new Path("/out/sort"), 4));
  }

  @Test
  void join() throws Exception {
    String events = "/in/join/" + JoinGenerator.EVENTS_DIR;
    String users = "/in/join/" + JoinGenerator.USERS_DIR;
    submitAndCheck("Join", List.of(uri(events), uri(users), uri("/out/join")),
        () -> ExampleChecks.checkJoin(fs, new Path(events), new Path(users), new Path("/out/join")));
  }
}
