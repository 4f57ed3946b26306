package io.weft.scheduler.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.cluster.ExecutorInfo;
import io.weft.scheduler.ShuffleReads;
import io.weft.scheduler.TaskDescription;
import io.weft.testing.FakeClusterBackend;
import io.weft.testing.ManualClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Delay scheduling over PROCESS_LOCAL, NODE_LOCAL, RACK_LOCAL and ANY, on the real
 * {@link TaskScheduler} with a fake backend, hand-made racks and a manual clock. Racks: hostA1 and
 * hostA2 on /rA, hostB1 on /rB; hostX has no rack.
 */
@Timeout(60)
class DelaySchedulingTest {
  private static final Map<String, String> RACKS = Map.of("hostA1", "/rA", "hostA2", "/rA", "hostB1", "/rB");

  private final FakeClusterBackend backend = new FakeClusterBackend();
  private final ManualClock clock = new ManualClock(1_000_000);
  private final List<Long> timerRequests = new ArrayList<>();
  private TaskScheduler scheduler;
  private TaskSetManager tsm;

  private void start(LocalityWaits waits) {
    scheduler = new TaskScheduler(backend, clock, waits, 4, RACKS::get, timerRequests::add);
  }

  private void executor(String id, String host, int slots) {
    scheduler.executorAdded(new ExecutorInfo(id, host, 0, slots));
  }

  /** Submits one task per entry; an entry lists the task's preferred hosts ("exec@host": cached there). */
  private void submit(List<List<String>> preferences) {
    List<TaskSet.PendingTask> tasks = new ArrayList<>();
    for (int i = 0; i < preferences.size(); i++) {
      List<TaskLocation> locs = preferences.get(i).stream().map(p -> p.contains("@")
          ? new TaskLocation(p.substring(p.indexOf('@') + 1), p.substring(0, p.indexOf('@')))
          : TaskLocation.host(p)).toList();
      tasks.add(new TaskSet.PendingTask(i, new byte[0], locs));
    }
    tsm = scheduler.submit(new TaskSet(0, 0, 0, false, new byte[0], tasks, ShuffleReads.NONE));
  }

  private void advanceAndSchedule(long ms) {
    clock.advance(ms);
    scheduler.schedule();
  }

  /** How many tasks each executor has been given, e.g. {a1=1, a2=1}. */
  private Map<String, Long> launchesPerExecutor() {
    return backend.launchedOn.values().stream().collect(Collectors.groupingBy(e -> e, Collectors.counting()));
  }

  private List<TaskLocality> localities() {
    return tsm.running().values().stream().sorted((a, b) -> Long.compare(a.taskId(), b.taskId()))
        .map(TaskSetManager.Running::locality).toList();
  }

  private void finish(long taskId) {
    tsm.succeeded(taskId);
    scheduler.taskEnded(taskId);
    scheduler.schedule();
  }

  @Test
  void aTaskSetWaitsAtNodeThenRackLevelForEachLevelsOwnWaitBeforeRunningAnywhere() {
    start(new LocalityWaits(1_000, 2_000, 5_000));
    executor("a1", "hostA1", 1);
    executor("a2", "hostA2", 1);
    executor("b1", "hostB1", 1);
    submit(List.of(List.of("hostA1"), List.of("hostA1"), List.of("hostA1")));
    scheduler.schedule();
    assertEquals(Map.of("a1", 1L), launchesPerExecutor(), "only hostA1 runs its data at first");
    assertEquals(List.of(2_000L), timerRequests,
        "a timer for the node wait (the process level has nothing to wait for)");

    advanceAndSchedule(1_999);
    assertEquals(1, backend.launched.size(), "still within weft.locality.wait.node");
    advanceAndSchedule(1);
    assertEquals(Map.of("a1", 1L, "a2", 1L), launchesPerExecutor(), "hostA2 shares hostA1's rack");

    advanceAndSchedule(4_999);
    assertEquals(2, backend.launched.size(), "still within weft.locality.wait.rack");
    advanceAndSchedule(1);
    assertEquals(Map.of("a1", 1L, "a2", 1L, "b1", 1L), launchesPerExecutor());
    assertEquals(List.of(TaskLocality.NODE_LOCAL, TaskLocality.RACK_LOCAL, TaskLocality.ANY), localities());
  }

  @Test
  void aLocalLaunchAfterRelaxingToAnyResetsTheSetToNodeLocal() {
    start(LocalityWaits.of(1_000));
    executor("a1", "hostA1", 1);
    executor("b1", "hostB1", 1);
    submit(Collections.nCopies(4, List.of("hostA1")));
    scheduler.schedule();
    advanceAndSchedule(1_000); // node wait over: RACK_LOCAL, but hostB1 is on another rack
    assertEquals(1, backend.launched.size());
    assertEquals(TaskLocality.RACK_LOCAL, tsm.allowedLevel());
    advanceAndSchedule(1_000);
    assertEquals(Map.of("a1", 1L, "b1", 1L), launchesPerExecutor(), "at ANY hostB1 takes a task");

    long onA1 = firstTaskOn("a1");
    long onB1 = firstTaskOn("b1");
    finish(onA1); // hostA1's slot frees and takes another hostA1 task: NODE_LOCAL again
    assertEquals(TaskLocality.NODE_LOCAL, tsm.allowedLevel(), "a node-local launch resets the level");
    finish(onB1);
    assertEquals(3, backend.launched.size(), "hostB1's free slot waits again");

    advanceAndSchedule(1_999);
    assertEquals(3, backend.launched.size());
    advanceAndSchedule(1);
    assertEquals(4, backend.launched.size(), "after the node and rack waits, ANY again");
    assertEquals(List.of(TaskLocality.NODE_LOCAL, TaskLocality.ANY), localities());
  }

  private long firstTaskOn(String executorId) {
    return backend.launchedOn.entrySet().stream().filter(e -> e.getValue().equals(executorId))
        .map(Map.Entry::getKey).findFirst().orElseThrow();
  }

  @Test
  void tasksWithNoPreferenceNeverWaitAndDoNotMoveTheLevel() {
    start(LocalityWaits.of(3_000));
    executor("a1", "hostA1", 1);
    executor("b1", "hostB1", 2);
    submit(List.of(List.of("hostA1"), List.of("hostA1"), List.of(), List.of()));
    scheduler.schedule();
    assertEquals(Map.of("a1", 1L, "b1", 2L), launchesPerExecutor(), "no time passed, all slots busy");
    assertEquals(List.of(TaskLocality.NODE_LOCAL, TaskLocality.NO_PREF, TaskLocality.NO_PREF), localities());
    assertEquals(TaskLocality.NODE_LOCAL, tsm.allowedLevel());
  }

  @Test
  void cachedPartitionsWaitForTheirExecutorThenGoToItsHostThenAnywhere() {
    start(new LocalityWaits(500, 2_000, 2_000));
    executor("a1", "hostA1", 1);
    executor("a1b", "hostA1", 1);
    executor("x", "hostX", 1);
    submit(List.of(List.of("a1@hostA1"), List.of("a1@hostA1"), List.of("a1@hostA1")));
    scheduler.schedule();
    assertEquals(Map.of("a1", 1L), launchesPerExecutor());
    advanceAndSchedule(499);
    assertEquals(1, backend.launched.size(), "within weft.locality.wait.process");
    advanceAndSchedule(1);
    assertEquals(Map.of("a1", 1L, "a1b", 1L), launchesPerExecutor(), "the other executor on hostA1");
    advanceAndSchedule(2_000);
    assertEquals(2, backend.launched.size(), "rack /rA is alive: wait there too (hostX has no rack)");
    advanceAndSchedule(2_000);
    assertEquals(3, backend.launched.size());
    assertEquals(List.of(TaskLocality.PROCESS_LOCAL, TaskLocality.NODE_LOCAL, TaskLocality.ANY), localities());
  }

  @Test
  void levelsNoLiveExecutorCanServeAreSkippedWithoutWaiting() {
    start(LocalityWaits.of(3_000));
    executor("b1", "hostB1", 2);
    submit(List.of(List.of("hostA1"), List.of("hostX")));
    scheduler.schedule();
    assertEquals(2, backend.launched.size(), "no executor on hostA1, /rA or hostX: ANY at once");
    assertEquals(List.of(TaskLocality.ANY, TaskLocality.ANY), localities());
  }

  @Test
  void anExecutorArrivingOnTheDataHostTakesItsTasksAndTheLostHostsTasksRunOnItsRack() {
    start(LocalityWaits.of(1_000));
    executor("b1", "hostB1", 1);
    submit(Collections.nCopies(3, List.of("hostA1")));
    scheduler.schedule();
    assertEquals(1, backend.launched.size(), "nothing can be local yet: the first goes ANY");
    executor("a1", "hostA1", 1);
    scheduler.schedule();
    assertEquals(Map.of("b1", 1L, "a1", 1L), launchesPerExecutor());
    assertEquals(TaskLocality.NODE_LOCAL, tsm.allowedLevel());
    executor("a2", "hostA2", 1);
    long onA1 = firstTaskOn("a1");
    List<Long> lost = scheduler.executorLost("a1");
    assertEquals(List.of(onA1), lost);
    tsm.failed(onA1, new io.weft.scheduler.TaskEndReason.ExecutorLost("a1", "test"));
    scheduler.taskEnded(onA1);
    scheduler.schedule();
    // hostA1 is gone, so nothing waits at NODE_LOCAL; hostA2 is on its rack
    assertEquals(Map.of("b1", 1L, "a1", 1L, "a2", 1L), launchesPerExecutor());
    assertEquals(TaskLocality.RACK_LOCAL, tsm.running().values().stream()
        .filter(r -> r.executorId().equals("a2")).findFirst().orElseThrow().locality());
  }

  /**
   * 2,000 tasks on 100 hosts of 10 racks, each task on 3 random hosts: whatever the order of
   * offers, a task runs NODE_LOCAL exactly when its executor's host is one of its hosts — checked
   * against the task's own preference list, not the scheduler's indexes.
   */
  @Test
  void everyRecordedLevelMatchesTheTasksOwnPreferences() {
    Map<String, String> racks = new HashMap<>();
    for (int h = 0; h < 100; h++) {
      racks.put("h" + h, "/r" + (h % 10));
    }
    scheduler = new TaskScheduler(backend, clock, LocalityWaits.of(100), 4, racks::get, timerRequests::add);
    java.util.Random random = new java.util.Random(7);
    List<List<String>> prefs = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      prefs.add(List.of("h" + random.nextInt(100), "h" + random.nextInt(100), "h" + random.nextInt(100)));
    }
    for (int h = 0; h < 100; h++) {
      executor("e" + h, "h" + h, 2);
    }
    submit(prefs);
    Map<Long, TaskLocality> seen = new HashMap<>();
    while (!tsm.isFinished()) {
      scheduler.schedule();
      List<TaskSetManager.Running> now = new ArrayList<>(tsm.running().values());
      for (TaskSetManager.Running r : now) {
        seen.put(r.taskId(), r.locality());
        if (random.nextInt(3) == 0) {
          finish(r.taskId());
        }
      }
      clock.advance(10);
    }
    assertEquals(2_000, seen.size());
    for (Map.Entry<Long, TaskLocality> e : seen.entrySet()) {
      TaskDescription t = backend.launched.get(e.getKey());
      List<String> hosts = prefs.get(t.partitionIndex());
      String host = "h" + backend.launchedOn.get(e.getKey()).substring(1);
      TaskLocality expected = hosts.contains(host) ? TaskLocality.NODE_LOCAL
          : hosts.stream().anyMatch(p -> racks.get(p).equals(racks.get(host))) ? TaskLocality.RACK_LOCAL
          : TaskLocality.ANY;
      assertEquals(expected, e.getValue(), "task " + e.getKey() + " prefers " + hosts + ", ran on " + host);
    }
    long local = seen.values().stream().filter(l -> l == TaskLocality.NODE_LOCAL).count();
    assertTrue(local > 1_000, "most tasks wait for their hosts: " + local);
  }

  @Test
  void theBackendHearsWhereWaitingTasksWantToRunWhenTaskSetsComeAndGo() {
    start(new LocalityWaits(1_000, 1_000, 1_000));
    submit(List.of(List.of("hostA1", "hostB1"), List.of("hostA1"), List.of("a9@hostA2"), List.of()));
    TaskSetManager first = tsm;
    assertEquals(new io.weft.cluster.LocalityDemand(4, 3, Map.of("hostA1", 2, "hostB1", 1, "hostA2", 1)),
        backend.demands.get(0), "one count per task and host it names");

    submit(List.of(List.of("hostB1"), List.of("hostB1")));
    assertEquals(new io.weft.cluster.LocalityDemand(6, 5, Map.of("hostA1", 2, "hostB1", 3, "hostA2", 1)),
        backend.demands.get(1), "active task sets add up");

    executor("b1", "hostB1", 8);
    scheduler.schedule();
    for (long id : List.copyOf(first.running().keySet())) {
      first.succeeded(id);
      scheduler.taskEnded(id);
    }
    advanceAndSchedule(5_000); // the first set's node-preferring tasks run anywhere after the waits
    for (long id : List.copyOf(first.running().keySet())) {
      first.succeeded(id);
      scheduler.taskEnded(id);
    }
    assertTrue(first.isZombie(), "every task of the first set succeeded");
    scheduler.removeIfDone(first);
    assertEquals(new io.weft.cluster.LocalityDemand(2, 2, Map.of("hostB1", 2)), backend.demands.get(2),
        "a finished set's preferences are dropped");
    assertEquals(3, backend.demands.size());
  }
}
