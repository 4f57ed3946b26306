package io.weft.it.apps;

import io.weft.HashPartitioner;
import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.status.ListenerEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Weft program that loses shuffle files in the middle of its job (the fault hook of
 * YarnShuffleLossIT). The job hash-partitions {@link #data} by key, then sums each reduce
 * partition's values by key and saves {@code key<TAB>sum} lines to {@code args[0]}. When the
 * reduce stage is submitted (a listener event: the map stage has ended and its outputs are
 * registered), the driver deletes every shuffle file of the executor that wrote map output 0
 * (it finds the executors' scratch directories under its own container's {@code LOCAL_DIRS},
 * which works when all containers share one NodeManager) and then opens a gate file; the first
 * reduce attempt's tasks wait for that gate before they read, so every one of them reads after
 * the deletion. It prints what it did and what the scheduler reported, as one line:
 * {@code shuffle-loss: victim=V lost=[..] deleted=N fetchFailures=F rerun=[..]}.
 */
public final class LosesShuffleFiles {
  public static final int MAPS = 6;

  private LosesShuffleFiles() {}

  /** The input, also computed by the test for its expected output. */
  public static List<Pair<Integer, Long>> data() {
    List<Pair<Integer, Long>> out = new ArrayList<>();
    for (int i = 0; i < 60_000; i++) {
      out.add(Pair.of((i * 31) % 997, (long) i));
    }
    return out;
  }

  public static void main(String[] args) {
    Path gate = Path.of(System.getenv("LOCAL_DIRS").split(",")[0], "weft-shuffle-loss-gate");
    String gatePath = gate.toString();
    try (WeftContext wc = WeftContext.create(new WeftConf())) {
      List<ListenerEvent.TaskEnded> ends = new CopyOnWriteArrayList<>();
      FaultHook hook = new FaultHook(ends, gate);
      wc.addListener(hook);
      wc.parallelizePairs(data(), MAPS).partitionBy(new HashPartitioner(4))
          .mapPartitions((Iterator<Pair<Integer, Long>> records) -> {
            awaitGate(gatePath);
            Map<Integer, Long> sums = new HashMap<>();
            records.forEachRemaining(p -> sums.merge(p.key(), p.value(), Long::sum));
            return sums.entrySet().stream().map(e -> e.getKey() + "\t" + e.getValue()).iterator();
          }).saveAsTextFile(args[0]);
      wc.listenerBus().waitUntilEmpty(10_000);
      String victim = hook.victim;
      long fetchFailures = ends.stream()
          .filter(t -> !t.succeeded() && t.failure().startsWith("FetchFailed(executor " + victim + ",")).count();
      List<Integer> rerun = ends.subList(hook.endsBeforeDeletion, ends.size()).stream()
          .filter(t -> t.succeeded() && t.stageId() == hook.mapStage).map(ListenerEvent.TaskEnded::partition)
          .sorted().toList();
      System.out.println("shuffle-loss: victim=" + victim + " lost=" + hook.lost + " deleted=" + hook.deleted
          + " fetchFailures=" + fetchFailures + " rerun=" + rerun);
    }
  }

  /**
   * Records task ends; when the reduce stage is submitted (after every map task ended), deletes
   * the shuffle files of the executor of map output 0 and opens the gate. Runs on the listener
   * bus's thread, which delivers events in order.
   */
  private static final class FaultHook implements io.weft.status.WeftListener {
    private final List<ListenerEvent.TaskEnded> ends;
    private final Path gate;
    volatile int mapStage = -1;
    volatile int endsBeforeDeletion;
    volatile String victim;
    volatile Set<Integer> lost = Set.of();
    volatile int deleted;

    FaultHook(List<ListenerEvent.TaskEnded> ends, Path gate) {
      this.ends = ends;
      this.gate = gate;
    }

    @Override
    public void onEvent(ListenerEvent event) {
      if (event instanceof ListenerEvent.TaskEnded t) {
        ends.add(t);
      } else if (event instanceof ListenerEvent.StageSubmitted s && mapStage < 0) {
        mapStage = s.stageId();
      } else if (event instanceof ListenerEvent.StageSubmitted s && s.stageId() != mapStage && victim == null) {
        victim = ends.stream().filter(t -> t.succeeded() && t.stageId() == mapStage && t.partition() == 0)
            .findFirst().orElseThrow().executorId();
        Set<Integer> onVictim = new TreeSet<>();
        ends.stream().filter(t -> t.succeeded() && t.stageId() == mapStage && t.executorId().equals(victim))
            .forEach(t -> onVictim.add(t.partition()));
        lost = onVictim;
        endsBeforeDeletion = ends.size();
        deleted = deleteShuffleFiles(victim);
        try {
          Files.createFile(gate);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /** Waits (bounded) until the driver opened the gate. */
  private static void awaitGate(String gate) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(Path.of(gate))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the driver never opened " + gate);
      }
      Thread.sleep(20);
    }
  }

  private static int deleteShuffleFiles(String executorId) {
    int deleted = 0;
    for (String dir : System.getenv("LOCAL_DIRS").split(",")) {
      try (Stream<Path> files = Files.walk(Path.of(dir))) {
        for (Path f : files.filter(Files::isRegularFile).filter(f -> isShuffleFileOf(f, executorId)).toList()) {
          Files.delete(f);
          deleted++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return deleted;
  }

  private static boolean isShuffleFileOf(Path f, String executorId) {
    Path parent = f.getParent();
    return parent.getFileName().toString().equals("shuffle") && parent.getParent() != null
        && parent.getParent().getFileName().toString().startsWith("executor-" + executorId + "-");
  }
}
