package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.it.apps.DiesOnHost;
import io.weft.it.yarn.WeftOnYarn;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad-node exclusion on YARN (issue 15, case 4): two NodeManagers on distinct loopback hosts, and
 * every executor on 127.0.0.2 dies at its first task ({@link DiesOnHost}'s hook). With
 * {@code weft.excludeOnFailure.enabled} the driver excludes 127.0.0.2 after its executor died,
 * the host goes on the ResourceManager's exclusion list (the AM logs the AMRM update), and the
 * job finishes on 127.0.0.3 with the sum computed here.
 *
 * <p>Sizes make both hosts get executors: three executors of 2048 MiB and 2 vcores on
 * NodeManagers of 4096 MiB and 4 vcores, one of which also runs the AM, so no host can take all
 * three.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class YarnExclusionIT {
  private static final String BAD = "127.0.0.2";

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder()
      .dataNodeHosts(BAD, "127.0.0.3").withYarnOnHosts(BAD, "127.0.0.3").build();

  @TempDir
  static java.nio.file.Path tmp;

  @Test
  void aHostWhoseExecutorsAlwaysDieIsExcludedAndTheJobFinishesOnTheOther() throws Exception {
    Map<String, String> settings = WeftOnYarn.settings("dies-on-host", 3);
    settings.put("weft.executor.memory", "1664m");
    settings.put("weft.executor.memoryOverhead", "384m");
    settings.put("weft.scheduler.minRegisteredResourcesRatio", "1.0");
    settings.put("weft.excludeOnFailure.enabled", "true");
    settings.put("weft.excludeOnFailure.maxFailedExecutorsPerHost", "1");
    settings.put("weft.task.maxFailures", "6");
    settings.put("weft.yarn.maxExecutorFailures", "10");
    WeftOnYarn.Run run = WeftOnYarn.run(CLUSTER, DiesOnHost.class.getName(),
        WeftOnYarn.appJar(DiesOnHost.class, tmp), List.of(BAD), settings);
    try {
      assertEquals(0, run.exitCode(), run.output());
      assertEquals(FinalApplicationStatus.SUCCEEDED,
          WeftOnYarn.report(CLUSTER, run.appId()).getFinalApplicationStatus());
      long expected = 0;
      for (long i = 1; i <= DiesOnHost.N; i++) {
        expected += i * i;
      }
      List<String> stdout = WeftOnYarn.stdoutLines(CLUSTER, run.appId());
      assertTrue(stdout.contains("dies-on-host: sum=" + expected + " excluded=[" + BAD + "]"), stdout.toString());
      List<String> stderr = WeftOnYarn.containerLogLines(CLUSTER, run.appId(), "stderr");
      assertTrue(stderr.stream().anyMatch(l -> l.contains("ResourceManager exclusion list now [" + BAD + "] (added ["
          + BAD + "]")), "the AM pushed the host to the AMRM exclusion list");
      assertTrue(stderr.stream().anyMatch(l -> l.contains("Excluding host " + BAD + " for")),
          "the driver log says why " + BAD + " is excluded");
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(run.appId().toString(), System.err);
      throw e;
    }
  }
}
