package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.it.yarn.AppStaging;
import io.weft.it.yarn.FailingApplicationMaster;
import io.weft.it.yarn.LaunchContexts;
import io.weft.it.yarn.TrivialApplicationMaster;
import io.weft.it.yarn.YarnApps;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.NodeState;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real YARN on the embedded cluster: two NodeManagers register, a client configured only from
 * the written conf dir reaches them, and a real ApplicationMaster, shipped as a jar through
 * HDFS, runs in its own JVM, succeeds, and leaves no process behind; a failing one is reported
 * FAILED with its container logs at hand.
 */
class YarnClusterIT {
  private static final Logger LOG = LoggerFactory.getLogger(YarnClusterIT.class);
  private static final int NODE_MANAGERS = 2;

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(NODE_MANAGERS).build();

  @TempDir Path tmp;
  private YarnClient yarn;

  @BeforeEach
  void startClient() throws Exception {
    yarn = YarnClient.createYarnClient();
    yarn.init(fromConfDir(CLUSTER.writeConfDir(tmp.resolve("conf"))));
    yarn.start();
  }

  @AfterEach
  void stopClient() {
    yarn.stop();
  }

  @Test
  void bothNodeManagersRunAndAClientFindsThemThroughTheConfDir() throws Exception {
    List<NodeReport> nodes = yarn.getNodeReports(NodeState.RUNNING);

    assertEquals(NODE_MANAGERS, nodes.size(), "RUNNING NodeManagers: " + nodes);
    assertEquals(NODE_MANAGERS, yarn.getYarnClusterMetrics().getNumNodeManagers());
    for (NodeReport n : nodes) {
      assertEquals(4, n.getCapability().getVirtualCores(), "vcores of " + n.getNodeId());
    }
  }

  @Test
  void shippedApplicationMasterSucceedsAndLeavesNoContainerJvm() throws Exception {
    AppStaging staging = stage("trivial", TrivialApplicationMaster.class);

    long t0 = System.nanoTime();
    ApplicationId id = YarnApps.submit(yarn, "trivial-am",
        LaunchContexts.javaMain(staging.resources(), TrivialApplicationMaster.class.getName(), 128),
        Resource.newInstance(256, 1));
    ApplicationReport report = YarnApps.awaitFinalState(yarn, id, Duration.ofSeconds(90));
    LOG.info("{} ended {}/{} {} ms after submission", id, report.getYarnApplicationState(),
        report.getFinalApplicationStatus(), (System.nanoTime() - t0) / 1_000_000);

    if (report.getFinalApplicationStatus() != FinalApplicationStatus.SUCCEEDED) {
      CLUSTER.printContainerLogs(id.toString(), System.err);
    }
    assertEquals(YarnApplicationState.FINISHED, report.getYarnApplicationState(), report.getDiagnostics());
    assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus(), report.getDiagnostics());
    awaitNoContainers(TrivialApplicationMaster.class.getName(), Duration.ofSeconds(30));
  }

  @Test
  void failingApplicationMasterIsReportedFailedAndItsContainerLogsArePrintable() throws Exception {
    AppStaging staging = stage("failing", FailingApplicationMaster.class);

    ApplicationId id = YarnApps.submit(yarn, "failing-am",
        LaunchContexts.javaMain(staging.resources(), FailingApplicationMaster.class.getName(), 128),
        Resource.newInstance(256, 1));
    ApplicationReport report = YarnApps.awaitFinalState(yarn, id, Duration.ofSeconds(90));

    assertEquals(YarnApplicationState.FAILED, report.getYarnApplicationState(), report.getDiagnostics());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CLUSTER.printContainerLogs(id.toString(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String logs = bytes.toString(StandardCharsets.UTF_8);
    for (String expected : List.of(FailingApplicationMaster.MESSAGE, "launch_container.sh", "directory.info")) {
      assertTrue(logs.contains(expected), "container logs lack '" + expected + "':\n" + logs);
    }
  }

  private AppStaging stage(String name, Class<?> main) throws Exception {
    AppStaging staging = new AppStaging(CLUSTER.fileSystem(),
        new org.apache.hadoop.fs.Path("/user/weft-it/staging/" + name), tmp.resolve("staging-" + name));
    staging.addConf(CLUSTER.cluster()).addClassesJar(name + "-am.jar", main);
    for (Path jar : LaunchContexts.jarsOnClasspath(LaunchContexts.HADOOP_CLIENT_ARTIFACTS)) {
      staging.addJar(jar);
    }
    return staging;
  }

  /** Waits until no NodeManager reports a container and no process runs {@code mainClass}. */
  private void awaitNoContainers(String mainClass, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<ProcessHandle> jvms = ProcessHandle.allProcesses()
          .filter(p -> p.pid() != ProcessHandle.current().pid())
          .filter(p -> p.info().commandLine().map(c -> c.contains(mainClass)).orElse(false))
          .toList();
      int containers = yarn.getNodeReports(NodeState.RUNNING).stream().mapToInt(NodeReport::getNumContainers).sum();
      if (jvms.isEmpty() && containers == 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("after " + timeout + ": " + containers + " containers in node reports, processes "
            + jvms.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
      }
      Thread.sleep(200);
    }
  }

  /** A client configuration from the site files alone, as HADOOP_CONF_DIR would give it. */
  private static Configuration fromConfDir(Path dir) {
    Configuration conf = new YarnConfiguration();
    for (String site : List.of("core-site.xml", "hdfs-site.xml", "yarn-site.xml")) {
      conf.addResource(new org.apache.hadoop.fs.Path(dir.resolve(site).toUri()));
    }
    assertTrue(conf.get(YarnConfiguration.RM_ADDRESS).matches(".*:[1-9][0-9]*"), conf.get(YarnConfiguration.RM_ADDRESS));
    return conf;
  }
}
