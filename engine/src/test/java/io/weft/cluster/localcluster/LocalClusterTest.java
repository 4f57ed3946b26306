package io.weft.cluster.localcluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.LongAccumulator;
import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.status.ListenerEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executors in their own JVMs (local-cluster mode): shuffle blocks cross processes over the
 * authenticated transport, a killed executor's work is redone, and no executor JVM outlives
 * the context.
 */
class LocalClusterTest {
  @TempDir
  Path localDir;

  private WeftConf conf(String master) {
    return new WeftConf(false).setMaster(master).setAppName("local-cluster-test")
        .set("weft.local.dir", localDir.toString())
        .set("weft.executor.registration.timeout", "60s");
  }

  private static List<Pair<Integer, Long>> data(int n) {
    Random r = new Random(42);
    List<Pair<Integer, Long>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Pair.of(r.nextInt(500), (long) r.nextInt(1000)));
    }
    return out;
  }

  private static Map<Integer, Long> sums(List<Pair<Integer, Long>> data) {
    Map<Integer, Long> expected = new HashMap<>();
    data.forEach(p -> expected.merge(p.key(), p.value(), Long::sum));
    return expected;
  }

  @Test
  void shuffleCrossesExecutorProcessesAndNoJvmOutlivesTheContext() {
    List<Pair<Integer, Long>> data = data(50_000);
    List<ListenerEvent.TaskEnded> ends = new CopyOnWriteArrayList<>();
    Set<Long> pids = ConcurrentHashMap.newKeySet();
    try (WeftContext wc = WeftContext.create(conf("local-cluster[2,2,256]"))) {
      wc.addListener(e -> {
        if (e instanceof ListenerEvent.TaskEnded t) {
          ends.add(t);
        }
      });
      LongAccumulator records = wc.longAccumulator("records");
      Map<Integer, Long> result = wc.parallelizePairs(data, 8)
          .mapValues(v -> {
            records.add(1);
            return v;
          })
          .reduceByKey(Long::sum, 6)
          .collectAsMap();
      assertEquals(sums(data), result);
      assertEquals(data.size(), records.value());
      pids.addAll(wc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8)
          .map(x -> ProcessHandle.current().pid()).collect());
      wc.listenerBus().waitUntilEmpty(5_000);
      Set<String> mapExecutors = new java.util.HashSet<>();
      for (ListenerEvent.TaskEnded t : ends) {
        assertTrue(t.succeeded(), String.valueOf(t.failure()));
        if (t.metrics().shuffleWriteRecords() > 0) {
          mapExecutors.add(t.executorId());
        }
      }
      assertEquals(Set.of("1", "2"), mapExecutors, "map outputs on both executors, so reducers fetched remotely");
      assertEquals(2, pids.size(), "tasks ran in two executor JVMs");
      assertTrue(!pids.contains(ProcessHandle.current().pid()), "not in the driver's JVM");
    }
    for (long pid : pids) {
      assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "executor JVM " + pid + " still runs");
    }
  }

  @Test
  void jobSurvivesAKilledExecutor() {
    List<Pair<Integer, Long>> data = data(20_000);
    try (WeftContext wc = WeftContext.create(conf("local-cluster[2,1,256]"))) {
      var reduced = wc.parallelizePairs(data, 4).reduceByKey(Long::sum, 4);
      assertEquals(sums(data), reduced.collectAsMap());
      // kill one executor JVM while its shuffle output is still needed; the next job over the
      // same shuffle must re-run the lost map tasks on the survivor (or a replacement)
      List<Long> pids = wc.parallelize(List.of(1, 2, 3, 4), 4).map(x -> ProcessHandle.current().pid())
          .collect().stream().distinct().toList();
      ProcessHandle.of(pids.get(0)).ifPresent(ProcessHandle::destroyForcibly);
      Map<Integer, Long> again = reduced.mapValues(v -> v + 0).collectAsMap();
      assertEquals(sums(data), again);
    }
  }

  @Test
  void badMasterSpecIsRefused() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> WeftContext.create(conf("local-cluster[0,1]")));
    assertTrue(e.getMessage().contains("local-cluster[0,1]"), e.getMessage());
  }
}
