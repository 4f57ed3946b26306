package io.weft.yarn.am;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.executor.TaskMetrics;
import io.weft.scheduler.task.TaskLocality;
import io.weft.status.ListenerEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class AmStatusTest {
  @Test
  void progressTextShowsRunningStagesWithFinishedAndTotalTasks() {
    AmStatus status = new AmStatus("app", 4);
    assertEquals("jobs: 0 done, 0 running; executors: 0 of 4 running", status.progressText());
    status.onEvent(new ListenerEvent.JobStarted(0, List.of(0, 1), "test", 0));
    status.onEvent(new ListenerEvent.StageSubmitted(0, 0, "map", 4, 0));
    for (int i = 0; i < 3; i++) {
      status.onEvent(new ListenerEvent.TaskEnded(0, 0, i, i, "1", true, null, new TaskMetrics(), 0, TaskLocality.NODE_LOCAL));
    }
    status.onEvent(new ListenerEvent.TaskEnded(0, 0, 9, 3, "1", false, "boom", new TaskMetrics(), 0, TaskLocality.NODE_LOCAL));
    assertEquals("stage 0: 3/4 tasks; jobs: 0 done, 1 running; executors: 0 of 4 running", status.progressText());
    status.onEvent(new ListenerEvent.StageCompleted(0, 0, null, 0));
    status.onEvent(new ListenerEvent.StageSubmitted(1, 0, "reduce", 2, 0));
    assertEquals("stage 1: 0/2 tasks; jobs: 0 done, 1 running; executors: 0 of 4 running", status.progressText());
    status.onEvent(new ListenerEvent.StageCompleted(1, 0, null, 0));
    status.onEvent(new ListenerEvent.JobEnded(0, true, null, 0));
    assertEquals("jobs: 1 done, 0 running; executors: 0 of 4 running", status.progressText());
  }

  @Test
  void hostsOnTheResourceManagersExclusionListShowOnThePageAndInTheProgressLine() {
    AmStatus status = new AmStatus("app", 2);
    status.setExcludedHosts(java.util.Set.of("127.0.0.2"));
    assertTrue(status.progressText().endsWith("; excluded hosts: 127.0.0.2"), status.progressText());
    assertTrue(status.html().contains("<th align=\"left\">Excluded hosts</th><td>127.0.0.2"), status.html());
    status.setExcludedHosts(java.util.Set.of());
    assertTrue(status.progressText().endsWith("running"), status.progressText());
  }

  @Test
  void progressTextCountsExecutorsRunningOfThoseAsked() {
    AmStatus status = new AmStatus("app", 8);
    status.onEvent(new ListenerEvent.ExecutorAdded("1", "h1", 2, 0));
    status.onEvent(new ListenerEvent.ExecutorAdded("2", "h2", 2, 0));
    status.onEvent(new ListenerEvent.ExecutorAdded("3", "h2", 2, 0));
    status.onEvent(new ListenerEvent.ExecutorRemoved("2", "lost", 0));
    assertTrue(status.progressText().endsWith("executors: 2 of 8 running"), status.progressText());
  }

  @Test
  void progressNeverGoesBackWhenANewJobSubmitsMoreTasks() {
    AmStatus status = new AmStatus("app", 2);
    status.onEvent(new ListenerEvent.StageSubmitted(0, 0, "first", 10, 0));
    for (int i = 0; i < 9; i++) {
      status.onEvent(new ListenerEvent.TaskEnded(0, 0, i, i, "1", true, null, new TaskMetrics(), 0, TaskLocality.NODE_LOCAL));
    }
    assertEquals(0.9f, status.progress(), 1e-6);
    // a second job's stage: ended/submitted falls to 9/20, what was shown must not
    status.onEvent(new ListenerEvent.StageSubmitted(1, 0, "second", 10, 0));
    assertEquals(0.9f, status.progress(), 1e-6);
    for (int i = 0; i < 9; i++) {
      status.onEvent(new ListenerEvent.TaskEnded(1, 0, 10 + i, i, "1", true, null, new TaskMetrics(), 0, TaskLocality.NODE_LOCAL));
    }
    assertEquals(0.9f, status.progress(), 1e-6); // 18/20 = 0.9
    status.onEvent(new ListenerEvent.TaskEnded(1, 0, 19, 9, "1", true, null, new TaskMetrics(), 0, TaskLocality.NODE_LOCAL));
    assertEquals(0.95f, status.progress(), 1e-6);
  }

  @Test
  void succeededTasksAreCountedByLocalityForTheStatusPageAndTheFinalDiagnostic() {
    AmStatus status = new AmStatus("app", 2);
    assertEquals("", status.withTaskLocality(""), "no task: nothing to add");
    TaskLocality[] ran = {TaskLocality.NODE_LOCAL, TaskLocality.RACK_LOCAL, TaskLocality.NODE_LOCAL,
        TaskLocality.ANY, TaskLocality.NODE_LOCAL};
    for (int i = 0; i < ran.length; i++) {
      status.onEvent(new ListenerEvent.TaskEnded(0, 0, i, i, "1", true, null, new TaskMetrics(), 0, ran[i]));
    }
    status.onEvent(new ListenerEvent.TaskEnded(0, 0, 9, 0, "1", false, "lost", new TaskMetrics(), 0, TaskLocality.PROCESS_LOCAL));

    assertEquals("NODE_LOCAL=3, RACK_LOCAL=1, ANY=1", status.taskLocality(), "failed attempts are not counted");
    assertTrue(status.html().contains("<th align=\"left\">Tasks by locality</th><td>NODE_LOCAL=3, RACK_LOCAL=1, ANY=1</td>"),
        status.html());
    assertEquals("Tasks by locality: NODE_LOCAL=3, RACK_LOCAL=1, ANY=1", status.withTaskLocality(""));
    String failed = io.weft.yarn.Diagnostics.withTrace("Application failed: boom", new IllegalStateException("boom"));
    String withCounts = status.withTaskLocality(failed);
    assertEquals("Application failed: boom\nTasks by locality: NODE_LOCAL=3, RACK_LOCAL=1, ANY=1",
        io.weft.yarn.Diagnostics.summary(withCounts), "the counts belong to the summary, before the trace");
    assertEquals(io.weft.yarn.Diagnostics.trace(failed), io.weft.yarn.Diagnostics.trace(withCounts));
  }
}
