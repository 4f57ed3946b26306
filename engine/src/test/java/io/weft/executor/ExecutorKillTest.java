package io.weft.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.plan.Node;
import io.weft.scheduler.ResultFn;
import io.weft.scheduler.Task;
import io.weft.scheduler.TaskDescription;
import io.weft.scheduler.TaskEndReason;
import io.weft.scheduler.TaskOutcome;
import io.weft.serialization.JavaSerializer;
import io.weft.serialization.SerializerInstance;
import io.weft.testing.TestingListNode;
import io.weft.testing.TestingTasks;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every task an executor was given reports its end exactly once, even one killed while it still
 * waited for a free task thread: a failed job waits for its killed tasks, so a silent one would
 * keep it waiting forever.
 */
class ExecutorKillTest {
  /** Task functions run in this JVM (deserialized copies), so they meet the test through statics. */
  private static final CountDownLatch STARTED = new CountDownLatch(1);
  private static final CountDownLatch RELEASE = new CountDownLatch(1);

  @TempDir Path tmp;

  private record Status(long taskId, TaskOutcome outcome) {}

  @Test
  void aTaskKilledBeforeItStartedReportsThatItWasKilled() throws Exception {
    BlockingQueue<Status> statuses = new LinkedBlockingQueue<>();
    Executor executor = new Executor(TestingTasks.executorEnv(tmp, null), 1, getClass().getClassLoader(),
        (id, outcome) -> statuses.add(new Status(id, outcome)));
    try {
      SerializerInstance java = JavaSerializer.instance();
      executor.launch(task(java, 1L, (ctx, it) -> {
        STARTED.countDown();
        return RELEASE.await(60, TimeUnit.SECONDS) ? "released" : "timed out";
      }));
      assertTrue(STARTED.await(30, TimeUnit.SECONDS), "the first task holds the only task thread");
      executor.launch(task(java, 2L, (ctx, it) -> "ran"));
      executor.kill(2L);

      Status killed = statuses.poll(30, TimeUnit.SECONDS);
      assertNotNull(killed, "the queued task never reported its end");
      assertEquals(2L, killed.taskId());
      TaskOutcome.Failure failure = assertInstanceOf(TaskOutcome.Failure.class, killed.outcome());
      assertInstanceOf(TaskEndReason.TaskKilled.class, failure.reason());

      RELEASE.countDown();
      Status first = statuses.poll(30, TimeUnit.SECONDS);
      assertNotNull(first);
      assertEquals(1L, first.taskId());
      assertEquals("released", java.deserialize(((TaskOutcome.Success) first.outcome()).value()));
      assertNull(statuses.poll(200, TimeUnit.MILLISECONDS), "the killed task must neither run nor report twice");
      assertEquals(0, executor.runningTaskCount());
    } finally {
      RELEASE.countDown();
      executor.stop();
    }
  }

  private static TaskDescription task(SerializerInstance java, long taskId, ResultFn<Integer, String> fn) {
    Node<Integer> node = TestingListNode.of(TestingTasks.newContext(), List.of(List.of(1)));
    byte[] binary = java.serialize(new Task.ResultBinary(node, fn));
    return new TaskDescription(taskId, 0, 1, 0, 0, false, binary, java.serialize(node.partitions()[0]), Map.of());
  }
}
