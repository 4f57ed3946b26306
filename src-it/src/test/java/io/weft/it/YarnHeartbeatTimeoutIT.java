package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.it.apps.FreezesAnExecutor;
import io.weft.it.yarn.WeftOnYarn;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor that stops answering on YARN (issue 15, case 6): {@code kill -STOP} of its JVM
 * ({@link FreezesAnExecutor}'s hook). Its connection stays open, so only the heartbeat timeout
 * can tell: the driver declares it lost after {@code weft.executor.heartbeatTimeout}, its tasks
 * run on the other executor, its container is released (the frozen process goes away), and the
 * job's sum equals the one computed here.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class YarnHeartbeatTimeoutIT {
  private static final long TIMEOUT_MS = 4_000;
  private static final Pattern SUMMARY = Pattern.compile("frozen: sum=(\\d+) lostAfterMs=(-?\\d+) gone=(\\w+) reason=(.*)");

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(1).build();

  @TempDir
  static java.nio.file.Path tmp;

  @Test
  void aFrozenExecutorIsDeclaredLostAfterTheHeartbeatTimeoutAndTheJobFinishes() throws Exception {
    Map<String, String> settings = WeftOnYarn.settings("frozen-executor", 2);
    settings.put("weft.executor.heartbeatInterval", "500ms");
    settings.put("weft.executor.heartbeatTimeout", TIMEOUT_MS + "ms");
    settings.put("weft.scheduler.minRegisteredResourcesRatio", "1.0");
    WeftOnYarn.Run run = WeftOnYarn.run(CLUSTER, FreezesAnExecutor.class.getName(),
        WeftOnYarn.appJar(FreezesAnExecutor.class, tmp), List.of(), settings);
    try {
      assertEquals(0, run.exitCode(), run.output());
      assertEquals(FinalApplicationStatus.SUCCEEDED,
          WeftOnYarn.report(CLUSTER, run.appId()).getFinalApplicationStatus());
      Matcher m = WeftOnYarn.stdoutLines(CLUSTER, run.appId()).stream().map(SUMMARY::matcher)
          .filter(Matcher::find).findFirst().orElseThrow(() -> new AssertionError("no 'frozen:' line"));
      System.out.println(m.group());
      long expected = 0;
      for (long i = 1; i <= FreezesAnExecutor.N; i++) {
        expected += i * i;
      }
      assertEquals(expected, Long.parseLong(m.group(1)));
      assertTrue(m.group(4).contains("(weft.executor.heartbeatTimeout is " + TIMEOUT_MS + " ms)"), m.group());
      long lostAfter = Long.parseLong(m.group(2));
      // not before the timeout (less the last heartbeat's age), and long before the default 120 s
      assertTrue(lostAfter >= TIMEOUT_MS - 1_000 && lostAfter < 60_000, "declared lost after " + lostAfter + " ms");
      assertEquals("true", m.group(3), "the frozen executor's container was released and its JVM ended");
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(run.appId().toString(), System.err);
      throw e;
    }
  }
}
