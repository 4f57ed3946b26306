package io.weft.it.apps;

import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.status.ListenerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The program of YarnSpeculationIT (issue 15, case 5): saves the numbers 0..399 in 4 partitions
 * to {@code args[0]}; the first attempt of partition {@link #SLOW} hangs (as a task on a dying
 * disk would) until a kill interrupts it, then leaves the marker {@code args[1]}. With
 * {@code weft.speculation} on, a copy runs on the other executor and wins. At the end the driver
 * prints {@code speculation: attempts=A successes=S killed=K}: the attempts of partition SLOW that
 * ended, how many succeeded, and whether the hung original saw its kill.
 */
public final class SpeculatesAStraggler {
  public static final int SLOW = 3;
  public static final int RECORDS = 400;

  private SpeculatesAStraggler() {}

  public static void main(String[] args) throws Exception {
    String marker = args[1];
    List<ListenerEvent.TaskEnded> ends = new CopyOnWriteArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      numbers.add(i);
    }
    try (WeftContext wc = WeftContext.create(new WeftConf())) {
      wc.addListener(e -> {
        if (e instanceof ListenerEvent.TaskEnded t && t.partition() == SLOW) {
          ends.add(t);
        }
      });
      wc.parallelize(numbers, 4).map(x -> {
        TaskContext task = TaskContext.get();
        if (task.partitionId() == SLOW && task.attemptNumber() == 0) {
          hangUntilKilled(marker);
        }
        return String.valueOf(x);
      }).saveAsTextFile(args[0]);
      wc.listenerBus().waitUntilEmpty(10_000);
      // the loser's kill reaches it after the job: wait (bounded) for its mark before stopping
      boolean killed = awaitFile(Path.of(marker));
      long successes = ends.stream().filter(ListenerEvent.TaskEnded::succeeded).count();
      System.out.println("speculation: attempts=" + ends.size() + " successes=" + successes + " killed=" + killed);
    }
  }

  /** Blocks until interrupted by a kill (bounded, to fail rather than hang); then marks it. */
  private static void hangUntilKilled(String marker) {
    try {
      if (!new CountDownLatch(1).await(3, TimeUnit.MINUTES)) {
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

  private static boolean awaitFile(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(file) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return Files.exists(file);
  }
}
