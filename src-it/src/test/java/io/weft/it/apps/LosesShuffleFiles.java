package io.weft.it.apps;

import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.status.ListenerEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A Weft program that loses shuffle files on purpose (the fault hook of YarnShuffleLossIT): job 1
 * sums {@link #data} by key through a shuffle; once it ended, the driver deletes every shuffle
 * file of the executor that wrote map output 0 (it finds the executors' scratch directories
 * under its own container's {@code LOCAL_DIRS}, which works when all containers share one
 * NodeManager); job 2 reads the same shuffle again and saves {@code key<TAB>sum} lines to
 * {@code args[0]}. It prints what it did and what the scheduler reported, as one line:
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
    try (WeftContext wc = WeftContext.create(new WeftConf())) {
      List<ListenerEvent.TaskEnded> ends = new CopyOnWriteArrayList<>();
      wc.addListener(e -> {
        if (e instanceof ListenerEvent.TaskEnded t) {
          ends.add(t);
        }
      });
      PairDataset<Integer, Long> sums = wc.parallelizePairs(data(), MAPS).reduceByKey(Long::sum, 4);
      sums.count();
      wc.listenerBus().waitUntilEmpty(10_000);
      String victim = ends.stream().filter(t -> t.succeeded() && t.metrics().shuffleWriteRecords() > 0
          && t.partition() == 0).findFirst().orElseThrow().executorId();
      Set<Integer> lost = mapPartitionsOn(ends, victim);
      int deleted = deleteShuffleFiles(victim);
      ends.clear();
      sums.map(p -> p.key() + "\t" + p.value()).saveAsTextFile(args[0]);
      wc.listenerBus().waitUntilEmpty(10_000);
      long fetchFailures = ends.stream()
          .filter(t -> !t.succeeded() && t.failure().startsWith("FetchFailed(executor " + victim + ",")).count();
      List<Integer> rerun = ends.stream().filter(t -> t.succeeded() && t.metrics().shuffleWriteRecords() > 0)
          .map(ListenerEvent.TaskEnded::partition).sorted().toList();
      System.out.println("shuffle-loss: victim=" + victim + " lost=" + lost + " deleted=" + deleted
          + " fetchFailures=" + fetchFailures + " rerun=" + rerun);
    }
  }

  private static Set<Integer> mapPartitionsOn(List<ListenerEvent.TaskEnded> ends, String executorId) {
    Set<Integer> out = new TreeSet<>();
    ends.stream().filter(t -> t.succeeded() && t.metrics().shuffleWriteRecords() > 0
        && t.executorId().equals(executorId)).forEach(t -> out.add(t.partition()));
    return out;
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
