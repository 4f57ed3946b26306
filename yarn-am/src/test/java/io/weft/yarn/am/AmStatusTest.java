package io.weft.yarn.am;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weft.executor.TaskMetrics;
import io.weft.status.ListenerEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class AmStatusTest {
  @Test
  void progressTextShowsRunningStagesWithFinishedAndTotalTasks() {
    AmStatus status = new AmStatus("app");
    assertEquals("jobs: 0 done, 0 running", status.progressText());
    status.onEvent(new ListenerEvent.JobStarted(0, List.of(0, 1), "test", 0));
    status.onEvent(new ListenerEvent.StageSubmitted(0, 0, "map", 4, 0));
    for (int i = 0; i < 3; i++) {
      status.onEvent(new ListenerEvent.TaskEnded(0, 0, i, i, "1", true, null, new TaskMetrics(), 0));
    }
    status.onEvent(new ListenerEvent.TaskEnded(0, 0, 9, 3, "1", false, "boom", new TaskMetrics(), 0));
    assertEquals("stage 0: 3/4 tasks; jobs: 0 done, 1 running", status.progressText());
    status.onEvent(new ListenerEvent.StageCompleted(0, 0, null, 0));
    status.onEvent(new ListenerEvent.StageSubmitted(1, 0, "reduce", 2, 0));
    assertEquals("stage 1: 0/2 tasks; jobs: 0 done, 1 running", status.progressText());
    status.onEvent(new ListenerEvent.StageCompleted(1, 0, null, 0));
    status.onEvent(new ListenerEvent.JobEnded(0, true, null, 0));
    assertEquals("jobs: 1 done, 0 running", status.progressText());
  }
}
