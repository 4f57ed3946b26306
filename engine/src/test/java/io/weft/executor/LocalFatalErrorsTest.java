package io.weft.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.JobFailedException;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.status.ListenerEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode runs tasks in the driver's JVM: a task's OutOfMemoryError fails the job at once,
 * naming the heap to raise, instead of retrying in the same poisoned JVM.
 */
class LocalFatalErrorsTest {
  @TempDir
  Path localDir;

  @Test
  void outOfMemoryFailsTheJobAfterOneAttemptNamingTheDriverHeap() {
    List<ListenerEvent.TaskEnded> failures = new CopyOnWriteArrayList<>();
    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local[2]")
        .setAppName("local-oom").set("weft.local.dir", localDir.toString())
        .set("weft.task.maxFailures", "4"))) {
      wc.addListener(e -> {
        if (e instanceof ListenerEvent.TaskEnded t && !t.succeeded()) {
          failures.add(t);
        }
      });
      List<Integer> numbers = IntStream.range(0, 100).boxed().toList();
      JobFailedException e = assertThrows(JobFailedException.class, () -> wc.parallelize(numbers, 4)
          .map(x -> {
            if (x == 7) {
              throw new OutOfMemoryError("test");
            }
            return x;
          }).collect());
      assertTrue(e.getMessage().contains("java.lang.OutOfMemoryError"), e.getMessage());
      assertTrue(e.getMessage().contains("-Xmx"), e.getMessage());
      assertTrue(e.getMessage().contains("WEFT_JAVA_OPTS"), e.getMessage());
      assertInstanceOf(OutOfMemoryError.class, e.getCause());
      assertTrue(wc.listenerBus().waitUntilEmpty(5_000));
      assertEquals(1, failures.stream().filter(t -> t.partition() == 0).count(),
          "the task that ran out of memory ran once: " + failures);
      // the JVM still serves the next job
      assertEquals(numbers.stream().mapToInt(Integer::intValue).sum(),
          wc.parallelize(numbers, 4).map(x -> x).collect().stream().mapToInt(Integer::intValue).sum());
    }
  }
}
