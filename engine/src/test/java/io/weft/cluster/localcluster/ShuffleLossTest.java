package io.weft.cluster.localcluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shuffle files that vanish from one executor's disk while the executor lives (a disk wiped, a
 * clean-up too eager) in local-cluster mode: the reducers that read them fail with a fetch
 * failure, only the map outputs that were on that executor run again, then the reduce stage,
 * and the result equals the one computed in plain Java.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ShuffleLossTest {
  private static final int MAPS = 6;

  @TempDir
  Path localDir;

  @Test
  void deletedShuffleFilesAreFetchFailuresAndOnlyTheLostMapOutputsRunAgain() {
    List<Pair<Integer, Long>> data = data(30_000);
    List<ListenerEvent.TaskEnded> ends = new CopyOnWriteArrayList<>();
    WeftConf conf = new WeftConf(false).setMaster("local-cluster[2,2,256]").setAppName("shuffle-loss")
        .set("weft.local.dir", localDir.toString()).set("weft.executor.registration.timeout", "60s");
    try (WeftContext wc = WeftContext.create(conf)) {
      wc.addListener(e -> {
        if (e instanceof ListenerEvent.TaskEnded t) {
          ends.add(t);
        }
      });
      PairDataset<Integer, Long> reduced = wc.parallelizePairs(data, MAPS).reduceByKey(Long::sum, 4);
      assertEquals(sums(data), reduced.collectAsMap());
      assertTrue(wc.listenerBus().waitUntilEmpty(10_000));
      Map<String, Set<Integer>> mapsByExecutor = mapPartitionsByExecutor(ends);
      Set<Integer> lost = mapsByExecutor.getOrDefault("1", Set.of());
      assertFalse(lost.isEmpty() || lost.size() == MAPS, "map outputs on both executors: " + mapsByExecutor);

      // the map stage is done and its output registered; the next job over the same shuffle
      // skips it and its reducers find executor 1's files gone
      assertEquals(2 * lost.size(), deleteShuffleFiles("1"), "a data and an index file per lost map output");
      ends.clear();
      assertEquals(sums(data), reduced.mapValues(v -> v).collectAsMap());
      assertTrue(wc.listenerBus().waitUntilEmpty(10_000));

      List<ListenerEvent.TaskEnded> fetchFailures = ends.stream()
          .filter(t -> !t.succeeded() && t.failure().startsWith("FetchFailed(executor 1,")).toList();
      assertFalse(fetchFailures.isEmpty(), "a reducer reported the lost output: " + ends);
      List<Integer> rerun = ends.stream().filter(t -> t.succeeded() && t.metrics().shuffleWriteRecords() > 0)
          .map(ListenerEvent.TaskEnded::partition).sorted().toList();
      assertEquals(List.copyOf(new TreeSet<>(lost)), rerun, "exactly the lost map outputs ran again, once each");
    }
  }

  private static Map<String, Set<Integer>> mapPartitionsByExecutor(List<ListenerEvent.TaskEnded> ends) {
    return ends.stream().filter(t -> t.succeeded() && t.metrics().shuffleWriteRecords() > 0)
        .collect(Collectors.groupingBy(ListenerEvent.TaskEnded::executorId,
            Collectors.mapping(ListenerEvent.TaskEnded::partition, Collectors.toCollection(TreeSet::new))));
  }

  /** Deletes the shuffle files in the scratch directory of executor {@code id}; returns how many. */
  private int deleteShuffleFiles(String id) {
    try (Stream<Path> files = Files.walk(localDir)) {
      List<Path> shuffleFiles = files.filter(Files::isRegularFile)
          .filter(f -> f.getParent().getFileName().toString().equals("shuffle")
              && f.getParent().getParent().getFileName().toString().startsWith("executor-" + id + "-"))
          .toList();
      for (Path f : shuffleFiles) {
        Files.delete(f);
      }
      return shuffleFiles.size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Pair<Integer, Long>> data(int n) {
    Random r = new Random(7);
    List<Pair<Integer, Long>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Pair.of(r.nextInt(800), (long) r.nextInt(1000)));
    }
    return out;
  }

  private static Map<Integer, Long> sums(List<Pair<Integer, Long>> data) {
    Map<Integer, Long> expected = new HashMap<>();
    data.forEach(p -> expected.merge(p.key(), p.value(), Long::sum));
    return expected;
  }
}
