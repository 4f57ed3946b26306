package io.weft.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.executor.TaskMetrics;
import io.weft.scheduler.task.TaskLocality;
import io.weft.status.Json;
import io.weft.status.ListenerEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The JSON endpoints over a store fed a hand-made two-stage job, checked against plain arithmetic. */
class AppStatusStoreTest {
  static final int MAP_TASKS = 250;

  /** Events of an application: a map stage of 250 tasks (task i runs 10*i ms and reads i bytes), a reduce stage of 2. */
  static List<ListenerEvent> twoStageApp() {
    List<ListenerEvent> ev = new ArrayList<>();
    ev.add(new ListenerEvent.ApplicationStarted("app-7", "demo", "alice", "yarn", 1_000));
    ev.add(new ListenerEvent.EnvironmentUpdated(Map.of("Java version", "17"), Map.of("weft.x", "1"), 1_000));
    ev.add(new ListenerEvent.ExecutorAdded("1", "host-a", 2, 1_001));
    ev.add(new ListenerEvent.ExecutorAdded("2", "host-b", 2, 1_001));
    ev.add(new ListenerEvent.JobStarted(0, List.of(0, 1), "collect at Demo.java:9", 1_010));
    ev.add(new ListenerEvent.JobPlanned(0, List.of(
        new ListenerEvent.StageInfo(0, "MapPartitionsNode[1]", MAP_TASKS, List.of(), List.of("ParallelCollectionNode[0]", "MapPartitionsNode[1] mapToPair"), true),
        new ListenerEvent.StageInfo(1, "ShuffledNode[2]", 2, List.of(0), List.of("ShuffledNode[2] reduceByKey"), false)), 1_010));
    ev.add(new ListenerEvent.StageSubmitted(0, 0, "MapPartitionsNode[1]", MAP_TASKS, 1_011, 4_321));
    for (int i = 0; i < MAP_TASKS; i++) {
      String exec = i % 2 == 0 ? "1" : "2";
      ev.add(new ListenerEvent.TaskStarted(0, 0, i, i, 0, exec, "host-" + (i % 2 == 0 ? "a" : "b"), TaskLocality.NO_PREF, 2_000));
      TaskMetrics m = new TaskMetrics();
      m.addInput(1, i);
      m.addShuffleWrite(1, 2L * i);
      m.setGcTimeMs(i % 5);
      ev.add(new ListenerEvent.TaskEnded(0, 0, i, i, exec, true, null, m, 2_000 + 10L * i, TaskLocality.NO_PREF));
    }
    ev.add(new ListenerEvent.StageCompleted(0, 0, null, 5_000));
    ev.add(new ListenerEvent.StageDiagnosed(0, 0, List.of("skew: partition 249 ran 2490 ms, 2.0x the median"), 5_000));
    ev.add(new ListenerEvent.StageSubmitted(1, 0, "ShuffledNode[2]", 2, 5_001));
    ev.add(new ListenerEvent.TaskStarted(1, 0, 1000, 0, 0, "1", "host-a", TaskLocality.NO_PREF, 5_002));
    ev.add(new ListenerEvent.TaskStarted(1, 0, 1001, 1, 0, "2", "host-b", TaskLocality.NO_PREF, 5_002));
    ev.add(new ListenerEvent.TaskEnded(1, 0, 1000, 0, "1", true, null, new TaskMetrics(), 5_100, TaskLocality.NO_PREF));
    return ev;
  }

  static AppStatusStore store(List<ListenerEvent> events, long now) {
    AppStatusStore s = new AppStatusStore(() -> now);
    events.forEach(s::onEvent);
    return s;
  }

  @SuppressWarnings("unchecked")
  private static <T> T json(Object o) {
    return (T) Json.parse(Json.write(o)); // what a client sees
  }

  @Test
  void jobsShowStatusStagesAndTasksDoneOfTotal() {
    UiHandler api = new UiHandler(store(twoStageApp(), 6_000), id -> null);
    List<Map<String, Object>> jobs = json(api.api("/app-7/jobs", Map.of()));
    assertEquals(1, jobs.size());
    Map<String, Object> job = jobs.get(0);
    assertEquals("RUNNING", job.get("status"));
    assertEquals(2L, job.get("numStages"));
    assertEquals(1L, job.get("numCompletedStages"));
    assertEquals((long) MAP_TASKS + 2, job.get("numTasks"));
    assertEquals((long) MAP_TASKS + 1, job.get("numCompletedTasks"));
    assertEquals(6_000L - 1_010, job.get("duration"));
  }

  @Test
  void aJobCarriesItsDagWithParentsOperationsAndStates() {
    UiHandler api = new UiHandler(store(twoStageApp(), 6_000), id -> null);
    Map<String, Object> job = json(api.api("/app-7/jobs/0", Map.of()));
    List<Map<String, Object>> dag = (List<Map<String, Object>>) job.get("stages");
    assertEquals(List.of(0L, 1L), dag.stream().map(s -> s.get("stageId")).collect(Collectors.toList()));
    assertEquals(List.of(), dag.get(0).get("parentIds"));
    assertEquals(List.of(0L), dag.get(1).get("parentIds"));
    assertEquals(List.of("ShuffledNode[2] reduceByKey"), dag.get(1).get("operations"));
    assertEquals("COMPLETE", dag.get(0).get("status"));
    assertEquals("ACTIVE", dag.get(1).get("status"));
  }

  @Test
  void stageSummaryQuantilesAreThoseOfTheSucceededTasks() {
    UiHandler api = new UiHandler(store(twoStageApp(), 6_000), id -> null);
    Map<String, Object> stage = json(api.api("/app-7/stages/0", Map.of()));
    assertEquals(4_321L, stage.get("taskBinaryBytes"));
    Map<String, Object> summary = (Map<String, Object>) stage.get("summary");
    // task i ran 10*i ms and read i bytes: nearest-rank quantiles over 0..249
    List<Long> durations = new ArrayList<>();
    List<Long> input = new ArrayList<>();
    List<Long> gc = new ArrayList<>();
    for (int i = 0; i < MAP_TASKS; i++) {
      durations.add(10L * i);
      input.add((long) i);
      gc.add((long) (i % 5));
    }
    assertEquals(quantiles(durations), summary.get("duration"));
    assertEquals(quantiles(input), summary.get("inputBytes"));
    assertEquals(quantiles(gc), summary.get("gcTime"));
    assertEquals(List.of("skew: partition 249 ran 2490 ms, 2.0x the median"), stage.get("findings"));
    assertEquals((long) MAP_TASKS, stage.get("numCompleteTasks"));
  }

  private static List<Long> quantiles(List<Long> values) {
    List<Long> sorted = values.stream().sorted().collect(Collectors.toList());
    int n = sorted.size() - 1;
    return List.of(sorted.get(0), sorted.get((int) Math.round(0.25 * n)), sorted.get((int) Math.round(0.5 * n)),
        sorted.get((int) Math.round(0.75 * n)), sorted.get(n));
  }

  @Test
  void tasksComeAPageAtATime() {
    UiHandler api = new UiHandler(store(twoStageApp(), 6_000), id -> null);
    Map<String, Object> page = json(api.api("/app-7/stages/0/tasks", Map.of("offset", "200", "length", "100")));
    assertEquals((long) MAP_TASKS, page.get("total"));
    List<Map<String, Object>> tasks = (List<Map<String, Object>>) page.get("tasks");
    assertEquals(50, tasks.size());
    assertEquals(200L, tasks.get(0).get("taskId"));
    assertEquals(2000L, tasks.get(0).get("duration"));
    assertEquals("host-a", tasks.get(0).get("host"));
    assertEquals("NO_PREF", tasks.get(0).get("locality"));
    assertEquals(400L, tasks.get(0).get("shuffleWriteBytes"));
    Map<String, Object> huge = json(api.api("/app-7/stages/0/tasks", Map.of("length", "100000")));
    assertEquals(UiHandler.MAX_TASK_PAGE < MAP_TASKS ? UiHandler.MAX_TASK_PAGE : MAP_TASKS,
        ((List<?>) huge.get("tasks")).size(), "a page is bounded");
    // the running task of stage 1 counts up to now
    Map<String, Object> running = json(api.api("/app-7/stages/1/tasks", Map.of()));
    Map<String, Object> second = ((List<Map<String, Object>>) running.get("tasks")).get(1);
    assertEquals("RUNNING", second.get("status"));
    assertEquals(6_000L - 5_002, second.get("duration"));
  }

  @Test
  void executorsTotalTheirTasks() {
    UiHandler api = new UiHandler(store(twoStageApp(), 6_000), id -> "http://nm/" + id);
    List<Map<String, Object>> ex = json(api.api("/app-7/executors", Map.of()));
    Map<String, Object> one = ex.get(0);
    assertEquals("1", one.get("id"));
    long evenInput = 0;
    for (int i = 0; i < MAP_TASKS; i += 2) {
      evenInput += i;
    }
    assertEquals((long) MAP_TASKS / 2 + 1, one.get("completedTasks"));
    assertEquals(evenInput, one.get("totalInputBytes"));
    assertEquals(0L, one.get("activeTasks"));
    assertEquals(1L, ex.get(1).get("activeTasks"));
    assertEquals("http://nm/1", one.get("logs"));
  }

  @Test
  void environmentAndApplication() {
    List<ListenerEvent> events = new ArrayList<>(twoStageApp());
    events.add(new ListenerEvent.ApplicationEnded(9_000));
    UiHandler api = new UiHandler(store(events, 12_000), id -> null);
    Map<String, Object> env = json(api.api("/app-7/environment", Map.of()));
    assertEquals(Map.of("weft.x", "1"), env.get("config"));
    List<Map<String, Object>> apps = json(api.api("", Map.of()));
    assertEquals("demo", apps.get(0).get("name"));
    assertEquals(8_000L, apps.get(0).get("duration"));
    assertEquals(true, apps.get(0).get("completed"));
  }

  @Test
  void unknownThingsAreNotFound() {
    UiHandler api = new UiHandler(store(twoStageApp(), 6_000), id -> null);
    assertNull(api.api("/other-app/jobs", Map.of()));
    assertNull(api.api("/app-7/jobs/99", Map.of()));
    assertNull(api.api("/app-7/stages/x", Map.of()));
    assertNull(api.api("/app-7/nothing", Map.of()));
    assertTrue(api.api("/app-7/stages", Map.of()) instanceof List);
  }
}
