package io.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.testing.SchedulerHarness;
import io.weft.testing.TestNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** weft.excludeOnFailure through the real DAG and task schedulers on a fake backend. */
class ExclusionSchedulingTest {
  private final SchedulerHarness h = new SchedulerHarness(new WeftConf(false)
      .set("weft.task.maxFailures", "6").set("weft.excludeOnFailure.enabled", "true"));

  @AfterEach
  void assertNoLeakedState() {
    assertTrue(h.dag.isIdle(), "scheduler still holds jobs, stages or tasks");
    h.close();
  }

  @Test
  void aTaskFailingTwiceOnOneExecutorRunsNextOnAnother() {
    h.addExecutor("e1", "host1", 1);
    h.addExecutor("e2", "host2", 1);
    JobWaiter job = h.submit(TestNode.source(2));
    TaskDescription onE2 = runningOn("e2");
    for (int i = 0; i < 2; i++) { // e2 is busy, so the retry goes back to e1
      h.fail(runningOn("e1"), new IllegalStateException("bad disk on host1"));
    }
    assertEquals(Set.of("e1"), h.dag.taskScheduler().exclusions().excludedExecutors());
    assertEquals(1, h.running().size(), "the retry waits rather than run on excluded e1");
    h.succeed(onE2);
    assertTrue(runningOn("e2") != null, "the retry runs on e2 once it is free");
    assertEquals(List.of(), h.backend.excludedHostUpdates, "one bad executor does not exclude its host");
    h.succeedAll();
    assertEquals(List.of(0, 1), job.await());
  }

  private TaskDescription runningOn(String executorId) {
    return h.running().stream().filter(t -> h.backend.launchedOn.get(t.taskId()).equals(executorId))
        .findFirst().orElse(null);
  }

  @Test
  void aHostWhoseExecutorsKeepDyingGetsNoTasksAndTheBackendHearsIt() {
    h.addExecutor("e1", "host1", 1);
    h.addExecutor("e2", "host2", 1);
    JobWaiter job = h.submit(TestNode.source(2));
    h.loseExecutor("e1");
    h.addExecutor("e3", "host1", 1);
    h.loseExecutor("e3");
    assertEquals(List.of(Set.of("host1")), h.backend.excludedHostUpdates);
    h.addExecutor("e4", "host1", 1); // granted before the exclusion reached the cluster manager
    assertTrue(h.running().stream().allMatch(t -> h.backend.launchedOn.get(t.taskId()).equals("e2")),
        "nothing runs on the excluded host");
    h.succeedAll();
    assertEquals(List.of(0, 1), job.await());
    assertTrue(h.backend.launchedOn.values().stream().filter(e -> e.equals("e4")).count() == 0,
        "e4 on host1 never got a task");
  }
}
