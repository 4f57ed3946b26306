package io.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.JobFailedException;
import io.weft.WeftConf;
import io.weft.testing.SchedulerHarness;
import io.weft.testing.TestNode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every way a job could wait forever ends it instead, with a message naming the reason: executors
 * lost for good, a task that kills every executor it runs on, an executor that hangs with its
 * connection open, an error inside the scheduler's own thread. The real scheduler on a fake
 * backend and a manual clock.
 */
class SchedulerNoHangTest {
  private SchedulerHarness h;

  private SchedulerHarness harness(WeftConf conf) {
    h = new SchedulerHarness(conf);
    return h;
  }

  private static WeftConf conf() {
    return new WeftConf(false).set("weft.task.maxFailures", "3").set("weft.locality.wait", "0")
        .set("weft.executor.heartbeatInterval", "1s").set("weft.executor.heartbeatTimeout", "5s");
  }

  @AfterEach
  void close() {
    h.close();
  }

  private TaskDescription onlyRunningTask() {
    List<TaskDescription> running = h.running();
    assertEquals(1, running.size(), running.toString());
    return running.get(0);
  }

  @Test
  void aTaskWhoseEveryAttemptKillsItsExecutorFailsTheJobNamingTheDeaths() {
    harness(conf());
    h.addExecutor("e1", "host1", 2);
    JobWaiter job = h.submit(TestNode.source(1));
    for (int i = 1; i <= 3; i++) {
      TaskDescription t = onlyRunningTask();
      assertEquals(i - 1, t.attemptNumber());
      String exec = h.backend.launchedOn.get(t.taskId());
      h.addExecutor("e" + (i + 1), "host" + (i + 1), 2); // the cluster manager's replacement
      h.loseExecutor(exec, "exited with code 13");
    }
    assertTrue(job.isDone(), "the job ended after 3 executor deaths (weft.task.maxFailures)");
    assertTrue(h.running().isEmpty(), "no fourth attempt");
    JobFailedException e = assertThrows(JobFailedException.class, job::await);
    assertTrue(e.getMessage().contains("Task 0 in stage 0.0 was running on 3 executors that died: "
        + "e1 (exited with code 13); e2 (exited with code 13); e3 (exited with code 13)"), e.getMessage());
    assertTrue(h.dag.isIdle());
  }

  @Test
  void executorDeathsAndExceptionsTogetherCountTowardsMaxFailures() {
    harness(conf());
    h.addExecutor("e1", "host1", 2);
    JobWaiter job = h.submit(TestNode.source(1));
    h.fail(onlyRunningTask(), new IllegalStateException("bad input"));
    h.addExecutor("e2", "host2", 2);
    h.loseExecutor(h.backend.launchedOn.get(onlyRunningTask().taskId()), "killed by signal 9");
    h.fail(onlyRunningTask(), new IllegalStateException("bad input again"));
    JobFailedException e = assertThrows(JobFailedException.class, job::await);
    assertTrue(e.getMessage().contains("failed 3 times (1 of them on executors that died: "), e.getMessage());
    assertTrue(e.getMessage().contains("(killed by signal 9)); last failure: java.lang.IllegalStateException: "
        + "bad input again"), e.getMessage());
    assertTrue(h.dag.isIdle());
  }

  @Test
  void anExecutorSilentLongerThanTheHeartbeatTimeoutIsLostKilledAndItsTasksRunElsewhere() {
    harness(conf());
    h.addExecutor("e1", "host1", 4);
    h.addExecutor("e2", "host2", 4);
    JobWaiter job = h.submit(TestNode.source(4));
    assertEquals(4, h.running().size());
    List<Long> onE2 = h.running().stream().map(TaskDescription::taskId)
        .filter(id -> h.backend.launchedOn.get(id).equals("e2")).toList();
    assertEquals(2, onE2.size());
    // e1 heartbeats every second; e2 hung (its socket still open) and says nothing more
    for (int second = 1; second <= 5; second++) {
      h.clock.advance(1_000);
      h.heartbeat("e1");
      h.events.fireTimers();
    }
    assertTrue(h.backend.killedExecutors.isEmpty(), "5 s of silence is not more than the 5 s timeout");
    h.clock.advance(1_000);
    h.heartbeat("e1");
    h.events.fireTimers();
    assertEquals(List.of("e2"), h.backend.killedExecutors);
    assertFalse(h.dag.taskScheduler().hasExecutor("e2"));
    List<TaskDescription> running = h.running().stream().filter(t -> !onE2.contains(t.taskId())).toList();
    assertEquals(4, running.size(), "e2's two tasks run again");
    assertTrue(running.stream().allMatch(t -> h.backend.launchedOn.get(t.taskId()).equals("e1")));
    running.forEach(h::succeed);
    assertEquals(List.of(0, 1, 2, 3), job.await());
    assertTrue(h.dag.isIdle());
  }

  @Test
  void aHeartbeatTimeoutNotAboveTheIntervalIsRefusedNamingBothSettings() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SchedulerHarness(
        conf().set("weft.executor.heartbeatTimeout", "1s")));
    assertTrue(e.getMessage().contains("weft.executor.heartbeatTimeout (1000 ms) must be greater than "
        + "weft.executor.heartbeatInterval (1000 ms)"), e.getMessage());
    harness(conf());
  }

  @Test
  void whenTheLastExecutorIsLostAndNoneCanBeStartedEveryJobFailsWithTheReason() {
    harness(conf());
    h.addExecutor("e1", "host1", 2);
    h.addExecutor("e2", "host2", 2);
    JobWaiter job = h.submit(TestNode.shuffled(2, TestNode.source(4)));
    assertEquals(4, h.running().size());
    h.loseExecutor("e1", "exited with code 1");
    String reason = "5 executor processes failed, more than weft.executor.maxFailures (4) allows";
    h.exhaustExecutors(reason);
    assertFalse(job.isDone(), "e2 still runs: the job goes on with it");
    h.loseExecutor("e2", "exited with code 1");
    assertTrue(job.isDone(), "no executor left and none coming: the job must not wait");
    JobFailedException e = assertThrows(JobFailedException.class, job::await);
    assertTrue(e.getMessage().contains("no executor is left and none can be started: " + reason), e.getMessage());
    JobWaiter later = h.submit(TestNode.source(1));
    JobFailedException refused = assertThrows(JobFailedException.class, later::await);
    assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    assertTrue(h.dag.isIdle());
  }

  @Test
  void exhaustionReportedAfterTheLastExecutorWasLostFailsTheWaitingJob() {
    harness(conf());
    h.addExecutor("e1", "host1", 2);
    JobWaiter job = h.submit(TestNode.source(2));
    h.loseExecutor("e1", "exited with code 1");
    assertFalse(job.isDone(), "a replacement may still come");
    h.exhaustExecutors("no replacement allowed");
    JobFailedException e = assertThrows(JobFailedException.class, job::await);
    assertTrue(e.getMessage().contains("no replacement allowed"), e.getMessage());
    assertTrue(h.dag.isIdle());
  }

  @Test
  void anErrorInsideTheEventThreadFailsEveryJobWithItAndRefusesNewJobs() {
    harness(conf());
    h.addExecutor("e1", "host1", 2);
    JobWaiter first = h.submit(TestNode.source(2));
    assertEquals(2, h.running().size());
    IllegalStateException bug = new IllegalStateException("backend bug");
    h.backend.launchError = bug;
    h.addExecutor("e2", "host2", 2);
    JobWaiter second = h.submit(TestNode.source(2)); // launching it throws inside the event handler
    for (JobWaiter job : List.of(first, second)) {
      assertTrue(job.isDone(), "no job waits on a scheduler that stopped");
      JobFailedException e = assertThrows(JobFailedException.class, job::await);
      assertTrue(e.getMessage().contains("internal error") && e.getMessage().contains("backend bug"), e.getMessage());
      assertSame(bug, e.getCause());
    }
    h.backend.launchError = null;
    int launched = h.backend.launched.size();
    JobWaiter third = h.submit(TestNode.source(1));
    JobFailedException refused = assertThrows(JobFailedException.class, third::await);
    assertTrue(refused.getMessage().contains("the scheduler stopped after an internal error"), refused.getMessage());
    assertTrue(refused.getMessage().contains("restart the application"), refused.getMessage());
    assertEquals(launched, h.backend.launched.size(), "nothing more is launched on half-updated state");
    IllegalStateException noState = assertThrows(IllegalStateException.class,
        () -> new io.weft.status.StatusTracker(h.events::post, 60_000).schedulerState());
    assertTrue(noState.getMessage().contains("stopped after an internal error"), "answered at once: " + noState);
  }
}
