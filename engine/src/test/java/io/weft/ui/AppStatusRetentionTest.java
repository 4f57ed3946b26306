package io.weft.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.executor.TaskMetrics;
import io.weft.scheduler.task.TaskLocality;
import io.weft.status.ListenerEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** weft.ui.retainedJobs, retainedStages and retainedTasks: the oldest finished go, the running stay. */
class AppStatusRetentionTest {
  private final List<ListenerEvent> events = new ArrayList<>();
  private long now = 1_000;

  private AppStatusRetentionTest limits(Map<String, String> settings) {
    events.add(new ListenerEvent.ApplicationStarted("app-1", "long", "alice", "yarn", now));
    events.add(new ListenerEvent.EnvironmentUpdated(Map.of(), settings, now));
    return this;
  }

  /** Job {@code id} with one stage {@code id} of {@code tasks} tasks, started (not ended). */
  private void startJob(int id, int tasks) {
    events.add(new ListenerEvent.JobStarted(id, List.of(id), "job " + id, ++now));
    events.add(new ListenerEvent.JobPlanned(id, List.of(
        new ListenerEvent.StageInfo(id, "stage " + id, tasks, List.of(), List.of("op " + id), false)), now));
    events.add(new ListenerEvent.StageSubmitted(id, 0, "stage " + id, tasks, now));
  }

  private void task(int stage, long taskId, boolean end) {
    events.add(new ListenerEvent.TaskStarted(stage, 0, taskId, (int) taskId, 0, "1", "h", TaskLocality.ANY, ++now));
    if (end) {
      endTask(stage, taskId);
    }
  }

  private void endTask(int stage, long taskId) {
    TaskMetrics m = new TaskMetrics();
    m.addInput(1, taskId);
    events.add(new ListenerEvent.TaskEnded(stage, 0, taskId, (int) taskId, "1", true, null, m, ++now, TaskLocality.ANY));
  }

  private void endJob(int id) {
    events.add(new ListenerEvent.StageCompleted(id, 0, null, ++now));
    events.add(new ListenerEvent.JobEnded(id, true, null, now));
  }

  private AppStatusStore store() {
    AppStatusStore s = new AppStatusStore(() -> now);
    events.forEach(s::onEvent);
    return s;
  }

  private static List<Integer> ids(List<Map<String, Object>> rows, String key) {
    return rows.stream().map(r -> (Integer) r.get(key)).toList();
  }

  @Test
  void theOldestFinishedJobsAndStagesGoAndTheRunningOnesStay() {
    limits(Map.of("weft.ui.retainedJobs", "3", "weft.ui.retainedStages", "2"));
    startJob(0, 1); // runs throughout
    for (int j = 1; j <= 5; j++) {
      startJob(j, 2);
      task(j, 10L * j, true);
      task(j, 10L * j + 1, true);
      endJob(j);
    }
    AppStatusStore store = store();
    // kept: the running job and the newest finished ones up to the limit, newest first
    assertEquals(List.of(5, 4, 0), ids(store.jobs(), "jobId"));
    assertEquals(List.of(5, 0), ids(store.stages(), "stageId"));
    assertEquals(3L, store.application().get("numDroppedJobs"));
    assertEquals(4L, store.application().get("numDroppedStages"));
    assertNull(store.job(1));
    assertNull(store.stageDetail(3));
    // job 4 lost its stage but still counts it: 1 stage of 1 complete, 2 tasks of 2
    Map<String, Object> job4 = store.job(4);
    assertEquals(1, job4.get("numCompletedStages"));
    assertEquals(2L, job4.get("numTasks"));
    assertEquals(2L, job4.get("numCompletedTasks"));
    assertEquals(List.of(), job4.get("stages"), "the dropped stage is not drawn");
    assertEquals("ACTIVE", store.stageDetail(0).get("status"));
  }

  @Test
  void aStageKeepsItsNewestFinishedTasksAndAllRunningOnesButCountsEveryone() {
    limits(Map.of("weft.ui.retainedTasks", "100"));
    int total = 1_000;
    startJob(0, total);
    for (long t = 0; t < total; t++) {
      task(0, t, t >= 5); // the first five run on
    }
    AppStatusStore store = store();
    Map<String, Object> page = store.tasks(0, 0, 1_000);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) page.get("tasks");
    List<Long> kept = rows.stream().map(r -> (Long) r.get("taskId")).toList();
    int keptCount = kept.size();
    assertTrue(keptCount <= 100 && keptCount >= 90, "kept " + keptCount);
    assertEquals(keptCount, page.get("total"));
    assertEquals((long) (total - keptCount), page.get("dropped"));
    // expected by hand: the five running attempts, then the newest finished ones in launch order
    List<Long> expected = new ArrayList<>(List.of(0L, 1L, 2L, 3L, 4L));
    for (long t = total - (keptCount - 5); t < total; t++) {
      expected.add(t);
    }
    assertEquals(expected, kept);
    Map<String, Object> stage = store.stageDetail(0);
    assertEquals(total - 5, stage.get("numCompleteTasks"), "dropped attempts still count");
    assertEquals(5, stage.get("numActiveTasks"));
    assertEquals((long) (total - keptCount), stage.get("numDroppedTasks"));
    @SuppressWarnings("unchecked")
    Map<String, Object> summary = (Map<String, Object>) stage.get("summary");
    assertEquals(keptCount - 5, summary.get("tasks"), "quantiles over the kept attempts");
    assertEquals(List.of((long) total - (keptCount - 5), (long) total - 1),
        List.of(((List<?>) summary.get("inputBytes")).get(0), ((List<?>) summary.get("inputBytes")).get(4)));
  }

  @Test
  void aRunningTaskDroppedNeverAndItsEndStillLands() {
    limits(Map.of("weft.ui.retainedTasks", "10"));
    startJob(0, 50);
    task(0, 0, false);
    for (long t = 1; t < 50; t++) {
      task(0, t, true);
    }
    endTask(0, 0); // the long first task ends last
    AppStatusStore store = store();
    assertEquals(50, store.stageDetail(0).get("numCompleteTasks"));
    assertEquals(0, store.stageDetail(0).get("numActiveTasks"));
    assertTrue((int) store.tasks(0, 0, 100).get("total") <= 10);
  }

  @Test
  void aLateTaskEndOfADroppedStageDoesNotBringItBack() {
    limits(Map.of("weft.ui.retainedJobs", "1", "weft.ui.retainedStages", "1"));
    startJob(1, 2);
    task(1, 10, true);
    task(1, 11, false); // a speculative copy still running when its stage ended
    endJob(1);
    startJob(2, 1);
    task(2, 20, true);
    endJob(2);
    endTask(1, 11); // its kill arrives after stage 1 was dropped
    AppStatusStore store = store();
    assertEquals(List.of(2), ids(store.stages(), "stageId"), "stage 1 stays dropped");
    assertNull(store.stageDetail(1));
    assertEquals(1L, store.application().get("numDroppedStages"));
  }

  @Test
  void withoutSettingsNothingIsDropped() {
    limits(Map.of());
    for (int j = 0; j < 20; j++) {
      startJob(j, 1);
      task(j, j, true);
      endJob(j);
    }
    AppStatusStore store = store();
    assertEquals(20, store.jobs().size());
    assertEquals(0L, store.application().get("numDroppedJobs"));
  }
}
