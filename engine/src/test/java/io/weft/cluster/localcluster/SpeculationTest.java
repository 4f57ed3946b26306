package io.weft.cluster.localcluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.status.ListenerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speculation with executors in their own JVMs: the first attempt of one partition hangs (a hook
 * that waits on a latch only a kill releases, as a task on a dying disk would), its copy on the
 * other executor finishes and commits, the hung original is killed, and the saved output holds
 * every partition exactly once.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SpeculationTest {
  private static final int SLOW = 3;

  @TempDir
  Path dir;

  @Test
  void aHungTasksCopyWinsAndTheOutputHasItsPartitionOnce() throws IOException {
    List<ListenerEvent.TaskEnded> ends = new CopyOnWriteArrayList<>();
    WeftConf conf = new WeftConf(false).setMaster("local-cluster[2,1,256]").setAppName("speculation")
        .set("weft.local.dir", dir.resolve("scratch").toString()).set("weft.executor.registration.timeout", "60s")
        .set("weft.speculation", "true");
    List<Integer> numbers = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      numbers.add(i);
    }
    Path out = dir.resolve("out");
    String killedMarker = dir.resolve("original-killed").toString();
    try (WeftContext wc = WeftContext.create(conf)) {
      wc.addListener(e -> {
        if (e instanceof ListenerEvent.TaskEnded t) {
          ends.add(t);
        }
      });
      wc.parallelize(numbers, 4).map(x -> {
        TaskContext task = TaskContext.get();
        if (task.partitionId() == SLOW && task.attemptNumber() == 0) {
          hangUntilKilled(killedMarker);
        }
        return String.valueOf(x);
      }).saveAsTextFile(out.toString());
      assertTrue(wc.listenerBus().waitUntilEmpty(10_000));
      // the loser's end comes after its job's: the scheduler reports it to no listener, so the
      // hook leaves a mark when the kill reached it (before the context closes and stops executors)
      assertTrue(awaitFile(Path.of(killedMarker)), "the hung original was killed");
    }
    List<ListenerEvent.TaskEnded> slow = ends.stream().filter(t -> t.partition() == SLOW).toList();
    assertEquals(1, slow.stream().filter(ListenerEvent.TaskEnded::succeeded).count(), "one attempt won: " + slow);
    List<String> lines = new ArrayList<>();
    try (Stream<Path> parts = Files.list(out)) {
      List<Path> files = parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
      assertEquals(4, files.size(), "one part file per partition: " + files);
      for (Path f : files) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    assertEquals(numbers.stream().map(String::valueOf).toList(), lines, "every record once, in order");
  }

  /**
   * Blocks on a latch nothing counts down: only the kill's interrupt ends it (bounded, to fail
   * rather than hang); then creates {@code marker}.
   */
  private static void hangUntilKilled(String marker) {
    try {
      if (!new CountDownLatch(1).await(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the straggler was never killed");
      }
    } catch (InterruptedException e) {
      try {
        Files.createFile(Path.of(marker));
      } catch (IOException io) {
        e.addSuppressed(io);
      }
      Thread.currentThread().interrupt();
      throw new RuntimeException("killed while hanging", e);
    }
  }

  /** Waits (bounded) for {@code file} to appear. */
  private static boolean awaitFile(Path file) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(file) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return Files.exists(file);
  }
}
