package io.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.testing.SchedulerHarness;
import io.weft.testing.TestNode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** weft.speculation through the real DAG and task schedulers, with a fake backend and a manual clock. */
class SpeculationSchedulingTest {
  private SchedulerHarness h = harness(true);

  private static SchedulerHarness harness(boolean speculation) {
    SchedulerHarness h = new SchedulerHarness(new WeftConf(false).set("weft.speculation", String.valueOf(speculation))
        .set("weft.speculation.interval", "100ms").set("weft.speculation.minTaskRuntime", "0"));
    h.addExecutor("e1", "host1", 4);
    h.addExecutor("e2", "host2", 4);
    return h;
  }

  @AfterEach
  void assertNoLeakedState() {
    assertTrue(h.dag.isIdle(), "scheduler still holds jobs, stages or tasks");
    h.close();
  }

  /** Four tasks; three finish after 1 s, so the fourth is a straggler once it ran 1.5 s. */
  private TaskDescription straggler() {
    List<TaskDescription> tasks = h.running();
    assertEquals(4, tasks.size());
    h.clock.advance(1_000);
    tasks.subList(0, 3).forEach(h::succeed);
    h.clock.advance(400);
    h.events.fireTimers();
    assertEquals(1, h.running().size(), "1.4 s is not 1.5 times the median yet");
    h.clock.advance(200);
    h.events.fireTimers();
    return tasks.get(3);
  }

  @Test
  void aStragglerGetsACopyOnAnotherExecutorAndTheLoserIsKilled() {
    JobWaiter job = h.submit(TestNode.source(4));
    TaskDescription slow = straggler();
    List<TaskDescription> running = h.running();
    assertEquals(2, running.size(), "the straggler and its copy");
    TaskDescription copy = running.get(1);
    assertEquals(slow.partitionIndex(), copy.partitionIndex());
    assertNotEquals(slow.attemptNumber(), copy.attemptNumber(), "a new attempt, so the commit tells them apart");
    assertNotEquals(h.backend.launchedOn.get(slow.taskId()), h.backend.launchedOn.get(copy.taskId()),
        "the copy runs on another executor");
    h.succeed(copy);
    // (killed once as the loser, and again as a task of a job that ended: kills are idempotent)
    assertEquals(List.of(slow.taskId()), h.backend.killed.stream().distinct().toList(),
        "the first to finish wins; the other is killed");
    h.failWith(slow, new TaskEndReason.TaskKilled("another attempt of the task succeeded"));
    assertEquals(List.of(0, 1, 2, 3), job.await());
  }

  @Test
  void aMapStageStragglersCopyWinsAndTheOriginalIsKilledWhileTheJobGoesOn() {
    JobWaiter job = h.submit(TestNode.shuffled(2, TestNode.source(4)));
    TaskDescription slow = straggler();
    TaskDescription copy = h.running().get(1);
    assertTrue(copy.shuffleMapTask() && copy.partitionIndex() == slow.partitionIndex());
    h.succeed(copy);
    assertEquals(List.of(slow.taskId()), h.backend.killed, "killed as the loser; the job still runs");
    assertTrue(h.running().stream().anyMatch(t -> !t.shuffleMapTask()), "the reduce stage started");
    h.failWith(slow, new TaskEndReason.TaskKilled("another attempt of the task succeeded"));
    h.succeedAll();
    assertEquals(List.of(0, 1), job.await());
  }

  @Test
  void whenTheOriginalFinishesFirstTheCopyIsKilledAndItsLateSuccessIgnored() {
    JobWaiter job = h.submit(TestNode.source(4));
    TaskDescription slow = straggler();
    TaskDescription copy = h.running().get(1);
    h.succeed(slow);
    assertEquals(List.of(copy.taskId()), h.backend.killed.stream().distinct().toList());
    h.succeed(copy); // it finished before the kill arrived
    assertEquals(List.of(0, 1, 2, 3), job.await());
  }

  /**
   * Two executors on host1 with free slots, one slot on host2: the copy of a straggler on host1
   * waits for host2's slot rather than take host1's, where it would likely straggle too.
   */
  @Test
  void theCopyGoesToAnotherHostEvenWhenTheStragglersHostHasFreeSlots() {
    h.close();
    h = new SchedulerHarness(new WeftConf(false).set("weft.speculation", "true")
        .set("weft.speculation.interval", "100ms").set("weft.speculation.minTaskRuntime", "0"));
    h.addExecutor("a1", "host1", 4);
    h.addExecutor("a2", "host1", 4);
    h.addExecutor("b1", "host2", 1);
    JobWaiter job = h.submit(TestNode.source(4));
    List<TaskDescription> tasks = h.running();
    assertEquals(4, tasks.size());
    TaskDescription onHost2 = tasks.stream().filter(t -> on(t).equals("b1")).findFirst().orElseThrow();
    TaskDescription slow = tasks.stream().filter(t -> !on(t).equals("b1")).findFirst().orElseThrow();
    h.clock.advance(1_000);
    tasks.stream().filter(t -> t != slow).forEach(h::succeed); // host2's slot is free again
    h.clock.advance(600);
    h.events.fireTimers();
    List<TaskDescription> running = h.running();
    assertEquals(2, running.size(), "the straggler and its copy: " + running);
    TaskDescription copy = running.stream().filter(t -> t.taskId() != slow.taskId()).findFirst().orElseThrow();
    assertEquals(slow.partitionIndex(), copy.partitionIndex());
    assertEquals("b1", on(copy), "on host2, not on host1's free executor; the straggler ran on " + on(slow)
        + ", host2's first task on " + on(onHost2));
    h.succeed(copy);
    h.failWith(slow, new TaskEndReason.TaskKilled("another attempt of the task succeeded"));
    assertEquals(List.of(0, 1, 2, 3), job.await());
  }

  @Test
  void onOneHostTheCopyGoesToAnotherExecutor() {
    h.close();
    h = new SchedulerHarness(new WeftConf(false).set("weft.speculation", "true")
        .set("weft.speculation.interval", "100ms").set("weft.speculation.minTaskRuntime", "0"));
    h.addExecutor("a1", "host1", 4);
    h.addExecutor("a2", "host1", 4);
    JobWaiter job = h.submit(TestNode.source(4));
    TaskDescription slow = straggler();
    List<TaskDescription> running = h.running();
    assertEquals(2, running.size(), "a copy even though every executor shares the host (local-cluster mode)");
    TaskDescription copy = running.get(1);
    assertNotEquals(on(slow), on(copy), "on the other executor");
    h.succeed(copy);
    h.failWith(slow, new TaskEndReason.TaskKilled("another attempt of the task succeeded"));
    assertEquals(List.of(0, 1, 2, 3), job.await());
  }

  private String on(TaskDescription t) {
    return h.backend.launchedOn.get(t.taskId());
  }

  @Test
  void offByDefault() {
    h.close();
    h = harness(false);
    JobWaiter job = h.submit(TestNode.source(4));
    List<TaskDescription> tasks = h.running();
    h.clock.advance(1_000);
    tasks.subList(0, 3).forEach(h::succeed);
    h.clock.advance(60_000);
    h.events.fireTimers();
    assertEquals(List.of(tasks.get(3)), h.running(), "no copy");
    h.succeed(tasks.get(3));
    assertEquals(List.of(0, 1, 2, 3), job.await());
  }
}
