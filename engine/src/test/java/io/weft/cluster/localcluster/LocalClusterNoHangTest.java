package io.weft.cluster.localcluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.JobFailedException;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executors in their own JVMs that die or hang: a lost executor is replaced, one that hangs with
 * its connection open is timed out and replaced, and once the replacement budget is used up the
 * job fails saying so instead of waiting forever. The time-outs are only a safety net: each case
 * ends by itself long before (today's code hung in all three).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LocalClusterNoHangTest {
  @TempDir
  Path localDir;

  private WeftConf conf(String master) {
    return new WeftConf(false).setMaster(master).setAppName("local-cluster-no-hang")
        .set("weft.local.dir", localDir.toString())
        .set("weft.executor.registration.timeout", "60s");
  }

  private static List<Integer> squares(int n) {
    return IntStream.range(0, n).map(i -> i * i).boxed().toList();
  }

  private static long executorPid(WeftContext wc) {
    List<Long> pids = wc.parallelize(List.of(1), 1).map(x -> ProcessHandle.current().pid()).collect();
    return pids.get(0);
  }

  @Test
  void theOnlyExecutorIsReplacedWhenItsJvmIsKilled() {
    try (WeftContext wc = WeftContext.create(conf("local-cluster[1,1,256]"))) {
      long first = executorPid(wc);
      ProcessHandle.of(first).ifPresent(ProcessHandle::destroyForcibly);
      List<Integer> result = wc.parallelize(IntStream.range(0, 6).boxed().toList(), 3).map(i -> i * i).collect();
      assertEquals(squares(6), result);
      long second = executorPid(wc);
      assertTrue(second != first, "a new executor JVM ran the job");
    }
  }

  @Test
  void anExecutorThatStopsHeartbeatingWithItsConnectionOpenIsKilledAndReplaced() throws Exception {
    WeftConf conf = conf("local-cluster[1,1,256]").set("weft.executor.heartbeatInterval", "500ms")
        .set("weft.executor.heartbeatTimeout", "3s");
    try (WeftContext wc = WeftContext.create(conf)) {
      long frozen = executorPid(wc);
      // SIGSTOP: the JVM neither heartbeats nor closes its socket, like one stuck in a GC or a hung NFS read
      Process stop = new ProcessBuilder("kill", "-STOP", String.valueOf(frozen)).inheritIO().start();
      assertEquals(0, stop.waitFor());
      List<Integer> result = wc.parallelize(IntStream.range(0, 4).boxed().toList(), 2).map(i -> i * i).collect();
      assertEquals(squares(4), result);
      ProcessHandle.of(frozen).ifPresent(h -> h.onExit().join());
    }
  }

  @Test
  void executorsThatCannotEvenStartFailTheContextAtOnceWithTheirExitInsteadOfTheRegistrationTimeout() {
    // a heap no machine has: every executor JVM exits at once ("Could not reserve enough space")
    WeftConf conf = conf("local-cluster[1,1,2147483647]").set("weft.executor.maxFailures", "1")
        .set("weft.executor.registration.timeout", "10min");
    io.weft.WeftException e = assertThrows(io.weft.WeftException.class, () -> WeftContext.create(conf).close());
    assertTrue(e.getMessage().contains("No executor could be started: 2 executor processes failed, more than "
        + "weft.executor.maxFailures (1) allows"), e.getMessage());
    assertTrue(e.getMessage().contains("exited with code 1"), e.getMessage());
  }

  @Test
  void whenEveryExecutorDiedAndNoneMayReplaceItTheJobFailsSayingSo() {
    WeftConf conf = conf("local-cluster[1,1,256]").set("weft.executor.maxFailures", "1")
        .set("weft.task.maxFailures", "10");
    try (WeftContext wc = WeftContext.create(conf)) {
      JobFailedException e = assertThrows(JobFailedException.class, () -> wc.parallelize(List.of(1, 2), 2)
          .map(x -> {
            Runtime.getRuntime().halt(7);
            return x;
          }).collect());
      // executor 1 died and was replaced (1 failure allowed); executor 2 died too, and none is left
      assertTrue(e.getMessage().contains("no executor is left and none can be started: 2 executor processes "
          + "failed, more than weft.executor.maxFailures (1) allows"), e.getMessage());
      assertTrue(e.getMessage().contains("executor 2: executor process exited with code 7"), e.getMessage());
      JobFailedException later = assertThrows(JobFailedException.class,
          () -> wc.parallelize(List.of(1), 1).collect());
      assertTrue(later.getMessage().contains("no executor is left"), later.getMessage());
    }
  }
}
