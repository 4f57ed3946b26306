package io.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.JobFailedException;
import io.weft.executor.FatalTaskErrors;
import io.weft.testing.SchedulerHarness;
import io.weft.testing.TestNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failures that say where a retry may run: not at all (a missing class), or not on the executor
 * that ran the task (it is ending its JVM after an OutOfMemoryError). The real scheduler on a
 * fake backend.
 */
class UnretryableFailuresTest {
  private SchedulerHarness h;

  @BeforeEach
  void setUp() {
    h = new SchedulerHarness(); // weft.task.maxFailures = 3
    h.addExecutor("e1", "host1", 1);
    h.addExecutor("e2", "host2", 1);
  }

  @AfterEach
  void assertNoLeakedState() {
    assertTrue(h.dag.isIdle(), "scheduler still holds jobs, stages or tasks");
    h.close();
  }

  @Test
  void aMissingClassFailsTheJobAfterOneAttemptNamingTheClass() {
    JobWaiter job = h.submit(TestNode.source(1));
    TaskDescription t = h.running().get(0);
    // what the closure deserializer throws when the class is missing on the executor
    h.fail(t, new UncheckedIOException(new IOException("class not found while deserializing: com.example.Extra",
        new ClassNotFoundException("com.example.Extra"))));
    assertEquals(List.of(), h.running(), "no retry");
    JobFailedException e = assertThrows(JobFailedException.class, job::await);
    assertTrue(e.getMessage().contains("ClassNotFoundException: com.example.Extra, not on the executors' "
        + "class path: add it with --jars"), e.getMessage());
    assertInstanceOf(ClassNotFoundException.class, e.getCause());
    assertEquals(1, h.backend.launched.size());
  }

  @Test
  void anExecutorEndingItsJvmGetsNoMoreTasksAndTheRetryCounts() {
    JobWaiter job = h.submit(TestNode.source(1));
    for (int attempt = 0; attempt < 3; attempt++) {
      TaskDescription t = h.running().get(0);
      String executor = h.backend.launchedOn.get(t.taskId());
      h.failWith(t, FatalTaskErrors.vmErrorReason(new OutOfMemoryError("Java heap space"),
          FatalTaskErrors.Placement.executorJvm(executor, "give executors more heap with weft.executor.memory")));
      if (attempt < 2) {
        TaskDescription retry = h.running().get(0);
        assertTrue(!h.backend.launchedOn.get(retry.taskId()).equals(executor),
            "retry on " + h.backend.launchedOn.get(retry.taskId()) + ", not on the ending " + executor);
        // the ending executor's loss follows; a replacement joins
        h.loseExecutor(executor);
        h.addExecutor(executor + "'", "host3", 1);
      }
    }
    JobFailedException e = assertThrows(JobFailedException.class, job::await);
    assertTrue(e.getMessage().contains("failed 3 times"), e.getMessage());
    assertTrue(e.getMessage().contains("weft.executor.memory"), e.getMessage());
    assertInstanceOf(OutOfMemoryError.class, e.getCause());
  }

  @Test
  void noClassDefFoundErrorIsAMissingClassUnlessAStaticInitializerFailed() {
    TaskEndReason.ExceptionFailure missing = assertInstanceOf(TaskEndReason.ExceptionFailure.class,
        FatalTaskErrors.missingClassReason(new NoClassDefFoundError("com/example/Extra")));
    assertEquals(TaskEndReason.Retry.NEVER, missing.retry());
    assertTrue(missing.message().startsWith("com.example.Extra, not on the executors' class path"), missing.message());
    assertNull(FatalTaskErrors.missingClassReason(new NoClassDefFoundError("Could not initialize class com.example.Extra")));
    assertNull(FatalTaskErrors.missingClassReason(new IllegalStateException("no")));
  }
}
