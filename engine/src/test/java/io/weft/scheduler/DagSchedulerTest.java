package io.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.JobFailedException;
import io.weft.scheduler.task.TaskLocality;
import io.weft.status.ListenerEvent;
import io.weft.testing.SchedulerHarness;
import io.weft.testing.TestNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real DAG scheduler on a fake backend: which tasks it launches and how it reacts to their ends. */
class DagSchedulerTest {
  private SchedulerHarness h;

  @BeforeEach
  void setUp() {
    h = new SchedulerHarness();
    h.addExecutor("e1", "host1", 4);
    h.addExecutor("e2", "host2", 4);
  }

  @AfterEach
  void assertNoLeakedState() {
    assertTrue(h.dag.isIdle(), "scheduler still holds jobs, stages or tasks");
    h.close();
  }

  private static Set<Integer> stagesOf(List<TaskDescription> tasks) {
    return tasks.stream().map(TaskDescription::stageId).collect(Collectors.toSet());
  }

  @Test
  void singleStageJobRunsOneTaskPerPartitionAndReturnsResultsInOrder() {
    TestNode source = TestNode.source(3);
    JobWaiter job = h.submit(TestNode.narrow(source));
    assertEquals(3, h.running().size());
    assertEquals(1, stagesOf(h.running()).size());
    h.succeedAll();
    assertEquals(List.of(0, 1, 2), job.await());
  }

  @Test
  void shuffleCutsTheLineageIntoAMapStageThatRunsFirst() {
    TestNode source = TestNode.source(2);
    TestNode reduced = TestNode.shuffled(3, TestNode.narrow(source));
    JobWaiter job = h.submit(TestNode.narrow(reduced));
    List<TaskDescription> maps = h.running();
    assertEquals(2, maps.size());
    assertTrue(maps.stream().allMatch(TaskDescription::shuffleMapTask));
    maps.forEach(h::succeed);
    List<TaskDescription> results = h.running();
    assertEquals(3, results.size());
    assertTrue(results.stream().noneMatch(TaskDescription::shuffleMapTask));
    int shuffleId = reduced.shuffleDependency(0).shuffleId();
    assertEquals(Set.of(shuffleId), results.get(0).shuffleBlocks().keySet());
    // each map output wrote to every reduce partition (see SchedulerHarness.succeed)
    assertEquals(2, results.get(0).shuffleBlocks().get(shuffleId).blockCount());
    h.succeedAll();
    assertEquals(List.of(0, 1, 2), job.await());
  }

  @Test
  void sharedParentStageRunsOnceForTwoShufflesThatReadIt() {
    TestNode base = TestNode.shuffled(2, TestNode.source(4));
    TestNode left = TestNode.shuffled(2, TestNode.narrow(base));
    TestNode right = TestNode.shuffled(2, TestNode.narrow(base));
    TestNode joined = TestNode.shuffled(2, left, right);
    JobWaiter job = h.submit(joined);
    // only the 4 map tasks of the source stage can run at first
    assertEquals(4, h.running().size());
    h.running().forEach(h::succeed);
    // then both shuffles that read `base` run, 2 tasks each, in two stages
    List<TaskDescription> middle = h.running();
    assertEquals(4, middle.size());
    assertEquals(2, stagesOf(middle).size());
    middle.forEach(h::succeed);
    // then the two map stages that feed the join (left and right)
    List<TaskDescription> sides = h.running();
    assertEquals(4, sides.size());
    sides.forEach(h::succeed);
    assertEquals(2, h.running().size());
    h.succeedAll();
    assertEquals(List.of(0, 1), job.await());
    assertEquals(4 + 4 + 4 + 2, h.backend.launched.size(), "no stage ran twice");
  }

  @Test
  void failedTaskIsRetriedAndTheJobSucceeds() {
    JobWaiter job = h.submit(TestNode.source(2));
    TaskDescription first = h.running().get(0);
    h.fail(first, new IllegalStateException("flaky"));
    List<TaskDescription> retry = h.running().stream()
        .filter(t -> t.partitionIndex() == first.partitionIndex()).toList();
    assertEquals(1, retry.size());
    assertEquals(1, retry.get(0).attemptNumber());
    h.succeedAll();
    assertEquals(List.of(0, 1), job.await());
  }

  @Test
  void taskFailingMaxFailuresTimesFailsTheJobWithTheUsersException() {
    JobWaiter job = h.submit(TestNode.source(2));
    for (int attempt = 0; attempt < 3; attempt++) {
      TaskDescription t = h.running().stream().filter(d -> d.partitionIndex() == 1).findFirst().orElseThrow();
      assertEquals(attempt, t.attemptNumber());
      h.fail(t, new IllegalArgumentException("bad record 42"));
    }
    // the other partition's task is killed, and the failure waits until it has reported, so
    // nothing of the job is still running (or writing output) when the caller hears of it
    assertEquals(1, h.backend.killed.size());
    assertFalse(job.isDone());
    h.running().forEach(t -> h.fail(t, new InterruptedException("killed")));
    JobFailedException e = assertThrows(JobFailedException.class, job::await);
    assertTrue(e.getMessage().contains("failed 3 times"), e.getMessage());
    assertTrue(e.getMessage().contains("bad record 42"), e.getMessage());
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertEquals("bad record 42", e.getCause().getMessage());
  }

  @Test
  void shuffleOutputIsReusedByALaterJob() {
    TestNode reduced = TestNode.shuffled(2, TestNode.source(3));
    JobWaiter first = h.submit(reduced);
    h.succeedAll();
    assertEquals(List.of(0, 1), first.await());
    int launchedBefore = h.backend.launched.size();
    JobWaiter second = h.submit(TestNode.narrow(reduced));
    List<TaskDescription> tasks = h.running();
    assertEquals(2, tasks.size());
    assertTrue(tasks.stream().noneMatch(TaskDescription::shuffleMapTask), "map stage must not re-run");
    h.succeedAll();
    assertEquals(List.of(0, 1), second.await());
    assertEquals(launchedBefore + 2, h.backend.launched.size());
  }

  @Test
  void fetchFailureReRunsOnlyTheLostMapOutputsThenTheReduceStage() {
    TestNode reduced = TestNode.shuffled(2, TestNode.source(4));
    int shuffleId = reduced.shuffleDependency(0).shuffleId();
    JobWaiter job = h.submit(reduced);
    List<TaskDescription> maps = h.running();
    long onE1 = maps.stream().filter(t -> h.backend.launchedOn.get(t.taskId()).equals("e1")).count();
    maps.forEach(h::succeed);
    assertTrue(onE1 > 0 && onE1 < 4, "map tasks spread over both executors");
    TaskDescription reducer = h.running().get(0);
    h.failFetch(reducer, shuffleId, 0, "e1");
    h.events.fireTimers();
    List<TaskDescription> rerun = h.running().stream().filter(TaskDescription::shuffleMapTask).toList();
    assertEquals(onE1, rerun.size(), "exactly the outputs that were on e1 run again");
    // the other reducer of the failed attempt still runs; its end is stale and ignored
    h.running().stream().filter(t -> !t.shuffleMapTask()).forEach(h::succeed);
    rerun.forEach(h::succeed);
    h.succeedAll();
    assertEquals(List.of(0, 1), job.await());
  }

  /** Runs map tasks (stale ones included) until the result stage's tasks are the ones running. */
  private List<TaskDescription> runMapsUntilResultTasks() {
    List<TaskDescription> now;
    while (!(now = h.running()).isEmpty() && now.stream().anyMatch(TaskDescription::shuffleMapTask)) {
      now.stream().filter(TaskDescription::shuffleMapTask).forEach(h::succeed);
    }
    return now;
  }

  @Test
  void stageFailingFetchMaxAttemptsTimesInARowFailsTheJob() {
    h.close();
    h = new SchedulerHarness(new io.weft.WeftConf(false).set("weft.stage.maxAttempts", "2"));
    h.addExecutor("e1", "host1", 4);
    h.addExecutor("e2", "host2", 4);
    TestNode reduced = TestNode.shuffled(2, TestNode.source(2));
    int shuffleId = reduced.shuffleDependency(0).shuffleId();
    JobWaiter job = h.submit(reduced);
    for (int attempt = 1; attempt <= 2; attempt++) {
      List<TaskDescription> reducers = runMapsUntilResultTasks();
      int latest = reducers.stream().mapToInt(TaskDescription::stageAttempt).max().orElseThrow();
      h.failFetch(reducers.stream().filter(t -> t.stageAttempt() == latest).findFirst().orElseThrow(),
          shuffleId, 0, "e1");
      h.events.fireTimers();
    }
    h.running().forEach(h::succeed); // the killed stage's stale reducers report late
    JobFailedException e = assertThrows(JobFailedException.class, job::await);
    assertTrue(e.getMessage().contains("failed 2 times"), e.getMessage());
  }

  /**
   * Stage B (reading shuffle A) fails fetching once, succeeds, and later fails once more when the
   * result stage lost B's output: two failed attempts in all, but not in a row, so with
   * {@code weft.stage.maxAttempts=2} the job still succeeds.
   */
  @Test
  void aSuccessfulAttemptResetsTheCountOfFailedStageAttempts() {
    h.close();
    h = new SchedulerHarness(new io.weft.WeftConf(false).set("weft.stage.maxAttempts", "2"));
    h.addExecutor("e1", "host1", 4);
    h.addExecutor("e2", "host2", 4);
    TestNode a = TestNode.shuffled(2, TestNode.source(2));
    TestNode b = TestNode.shuffled(2, a);
    int shuffleA = a.shuffleDependency(0).shuffleId();
    int shuffleB = b.shuffleDependency(0).shuffleId();
    JobWaiter job = h.submit(b);
    h.running().forEach(h::succeed); // A's maps
    TaskDescription bTask = h.running().get(0);
    assertTrue(bTask.shuffleBlocks().containsKey(shuffleA), "B's map tasks read A");
    h.failFetch(bTask, shuffleA, 0, "e1");
    h.events.fireTimers();
    List<TaskDescription> results = runMapsUntilResultTasks();
    h.failFetch(results.get(0), shuffleB, 0, "e1");
    h.events.fireTimers();
    // A's maps lost with e1 run first, then B's; these fail on A's output once more: B's
    // second failure in all
    List<TaskDescription> bAgain = List.of();
    for (int round = 0; round < 5 && bAgain.isEmpty(); round++) {
      h.running().stream().filter(t -> t.shuffleMapTask() && t.shuffleBlocks().isEmpty()).forEach(h::succeed);
      bAgain = h.running().stream().filter(t -> t.shuffleMapTask() && t.shuffleBlocks().containsKey(shuffleA)).toList();
    }
    assertFalse(bAgain.isEmpty(), "B re-runs the maps lost with e1");
    h.failFetch(bAgain.get(0), shuffleA, 0, "e1");
    h.events.fireTimers();
    runMapsUntilResultTasks();
    h.succeedAll();
    assertEquals(List.of(0, 1), job.await());
  }

  /**
   * The same four partitions lose their executor twice (each loss counts towards the harness's 3
   * allowed failures, since a task may be what kills its JVM) and run again each time on the
   * executor that replaced it.
   */
  @Test
  void lostExecutorsRunningTasksAreRetriedElsewhere() {
    JobWaiter job = h.submit(TestNode.source(8));
    assertEquals(8, h.running().size());
    Set<Integer> onE1 = partitionsRunningOn("e1");
    assertEquals(4, onE1.size());
    String holder = "e1";
    for (int loss = 1; loss <= 2; loss++) {
      h.loseExecutor(holder);
      holder = "n" + loss;
      h.addExecutor(holder, "hostn" + loss, 4);
      assertEquals(onE1, partitionsRunningOn(holder), "after loss " + loss + " the same partitions run on " + holder);
    }
    String last = holder;
    h.running().stream().filter(t -> Set.of("e2", last).contains(h.backend.launchedOn.get(t.taskId())))
        .forEach(h::succeed);
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), job.await());
  }

  private Set<Integer> partitionsRunningOn(String executorId) {
    return h.running().stream().filter(t -> executorId.equals(h.backend.launchedOn.get(t.taskId())))
        .map(TaskDescription::partitionIndex).collect(Collectors.toSet());
  }

  @Test
  void accumulatorUpdatesOfAPartitionAreMergedOnceEvenWhenATaskIsRetried() {
    JobWaiter job = h.submit(TestNode.source(2));
    TaskDescription t0 = h.running().get(0);
    h.fail(t0, new RuntimeException("once"));
    for (TaskDescription t : h.running()) {
      h.succeed(t, Map.of(7L, 5L));
    }
    job.await();
    assertEquals(10L, h.accumulators.get(7L), "two partitions, 5 each; the failed attempt counts nothing");
  }

  /**
   * hostA and hostA2 share rack /r1, hostB is on /r2: with a 1 s wait per level, hostA's two
   * tasks run NODE_LOCAL on hostA, then RACK_LOCAL on hostA2 after 1 s, then ANY on hostB after
   * 2 s; each task's end tells listeners its level.
   */
  @Test
  void tasksWaitForTheirPreferredHostThenRackUntilEachLocalityWaitExpires() throws Exception {
    Map<String, String> racks = Map.of("hostA", "/r1", "hostA2", "/r1", "hostB", "/r2");
    SchedulerHarness local = new SchedulerHarness(new io.weft.WeftConf(false).set("weft.locality.wait", "1s"),
        racks::get);
    List<ListenerEvent.TaskEnded> ends = new CopyOnWriteArrayList<>();
    local.bus.addListener(e -> {
      if (e instanceof ListenerEvent.TaskEnded t) {
        ends.add(t);
      }
    });
    try {
      local.addExecutor("a", "hostA", 1);
      local.addExecutor("b", "hostB", 1);
      local.addExecutor("a2", "hostA2", 1);
      JobWaiter job = local.submit(TestNode.sourceOn(List.of(List.of("hostA"), List.of("hostA"), List.of("hostA"))));
      assertEquals(1, local.running().size(), "only hostA's slot takes a task at first");
      assertEquals("a", local.backend.launchedOn.values().iterator().next());
      local.clock.advance(1_000);
      local.events.fireTimers();
      assertEquals(List.of("a", "a2"), List.copyOf(local.backend.launchedOn.values()),
          "after the node wait, hostA2 on the same rack takes a task");
      local.clock.advance(1_000);
      local.events.fireTimers();
      assertEquals(List.of("a", "a2", "b"), List.copyOf(local.backend.launchedOn.values()),
          "after the rack wait, hostB on the other rack takes the last");
      local.succeedAll();
      assertEquals(List.of(0, 1, 2), job.await());
      assertTrue(local.bus.waitUntilEmpty(10_000));
      Map<String, TaskLocality> byExecutor = ends.stream()
          .collect(Collectors.toMap(ListenerEvent.TaskEnded::executorId, ListenerEvent.TaskEnded::locality));
      assertEquals(Map.of("a", TaskLocality.NODE_LOCAL, "a2", TaskLocality.RACK_LOCAL, "b", TaskLocality.ANY),
          byExecutor);
      assertTrue(local.dag.isIdle());
    } finally {
      local.close();
    }
  }

  @Test
  void tasksWithoutPreferredHostsRunAtOnceAsNoPref() throws Exception {
    List<ListenerEvent.TaskEnded> ends = new CopyOnWriteArrayList<>();
    h.bus.addListener(e -> {
      if (e instanceof ListenerEvent.TaskEnded t) {
        ends.add(t);
      }
    });
    JobWaiter job = h.submit(TestNode.source(8));
    assertEquals(8, h.running().size(), "no task waits: every slot of both executors is busy");
    h.succeedAll();
    job.await();
    assertTrue(h.bus.waitUntilEmpty(10_000));
    assertEquals(8, ends.stream().filter(t -> t.locality() == TaskLocality.NO_PREF).count());
  }
}
