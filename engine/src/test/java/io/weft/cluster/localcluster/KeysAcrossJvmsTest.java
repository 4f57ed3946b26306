package io.weft.cluster.localcluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.status.ListenerEvent;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys whose {@code hashCode} differs between JVMs (enums, and pairs and records holding them)
 * group correctly when map tasks run in two executor JVMs: every key comes out once, with the
 * values a plain-Java computation gives. Before the partitioning hash, each executor sent an
 * enum key to a reducer of its own choosing and the key came out once per executor.
 */
class KeysAcrossJvmsTest {
  enum Color { RED, ORANGE, YELLOW, GREEN, BLUE, INDIGO, VIOLET, BLACK }

  record Shipment(Color color, int size) implements Serializable {}

  private static final int MAP_PARTITIONS = 8;
  private static final int REDUCERS = 5;

  @TempDir
  static Path localDir;
  private static WeftContext wc;
  private static final Set<String> mapExecutors = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() {
    wc = WeftContext.create(new WeftConf(false).setMaster("local-cluster[2,1,512]").setAppName("keys-across-jvms")
        .set("weft.local.dir", localDir.toString())
        .set("weft.executor.registration.timeout", "60s"));
    wc.addListener(e -> {
      if (e instanceof ListenerEvent.TaskEnded t && t.metrics().shuffleWriteRecords() > 0) {
        mapExecutors.add(t.executorId());
      }
    });
  }

  @AfterAll
  static void stop() {
    wc.close();
  }

  /** Every color in every map partition, so every executor writes every key. */
  private static List<Pair<Color, Long>> colors(int n, long seed) {
    Random r = new Random(seed);
    List<Pair<Color, Long>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Pair.of(Color.values()[r.nextInt(Color.values().length)], (long) r.nextInt(100)));
    }
    return out;
  }

  private static <K> Map<K, Long> sums(List<Pair<K, Long>> data) {
    Map<K, Long> out = new HashMap<>();
    data.forEach(p -> out.merge(p.key(), p.value(), Long::sum));
    return out;
  }

  private static <K, V> Map<K, V> uniqueKeys(List<Pair<K, V>> rows) {
    Map<K, V> out = new HashMap<>();
    for (Pair<K, V> row : rows) {
      V previous = out.put(row.key(), row.value());
      assertEquals(null, previous, "key " + row.key() + " came out more than once: " + rows);
    }
    return out;
  }

  private void assertMapsRanOnBothExecutors() {
    wc.listenerBus().waitUntilEmpty(5_000);
    assertEquals(Set.of("1", "2"), mapExecutors, "map tasks on both executor JVMs");
  }

  private static <K> List<Pair<K, Long>> rekey(List<Pair<Color, Long>> data, Function<Pair<Color, Long>, K> key) {
    List<Pair<K, Long>> out = new ArrayList<>();
    data.forEach(p -> out.add(Pair.of(key.apply(p), p.value())));
    return out;
  }

  @Test
  void enumKeysReduceOncePerKey() {
    List<Pair<Color, Long>> data = colors(20_000, 1);
    PairDataset<Color, Long> reduced = wc.parallelizePairs(data, MAP_PARTITIONS).reduceByKey(Long::sum, REDUCERS);
    List<Pair<Color, Long>> rows = reduced.collect();
    assertEquals(sums(data), uniqueKeys(rows));
    assertEquals(Color.values().length, rows.size());
    // the driver computes the key's partition and reads only that one
    assertEquals(List.of(sums(data).get(Color.INDIGO)), reduced.lookup(Color.INDIGO));
    assertEquals(sums(rekey(data, p -> p.key())).keySet(), wc.parallelizePairs(data, MAP_PARTITIONS).keys()
        .distinct().collect().stream().collect(java.util.stream.Collectors.toSet()));
    assertMapsRanOnBothExecutors();
  }

  @Test
  void enumKeysGroupAndJoin() {
    List<Pair<Color, Long>> left = colors(5_000, 2);
    List<Pair<Color, Long>> right = colors(300, 3);
    Map<Color, Long> leftCounts = new HashMap<>();
    left.forEach(p -> leftCounts.merge(p.key(), 1L, Long::sum));
    Map<Color, Long> rightCounts = new HashMap<>();
    right.forEach(p -> rightCounts.merge(p.key(), 1L, Long::sum));

    PairDataset<Color, Long> l = wc.parallelizePairs(left, MAP_PARTITIONS);
    PairDataset<Color, Long> r = wc.parallelizePairs(right, 4);
    Map<Color, Long> groupSizes = new HashMap<>();
    uniqueKeys(l.groupByKey(REDUCERS).collect()).forEach((k, vs) -> {
      long n = 0;
      for (Long ignored : vs) {
        n++;
      }
      groupSizes.put(k, n);
    });
    assertEquals(leftCounts, groupSizes);

    Map<Color, Long> joined = new HashMap<>();
    for (Pair<Color, Pair<Long, Long>> row : l.join(r, REDUCERS).collect()) {
      joined.merge(row.key(), 1L, Long::sum);
    }
    Map<Color, Long> expected = new HashMap<>();
    leftCounts.forEach((k, n) -> {
      if (rightCounts.containsKey(k)) {
        expected.put(k, n * rightCounts.get(k));
      }
    });
    assertEquals(expected, joined, "join rows per key = left count x right count");
    assertEquals(leftCounts, wc.parallelizePairs(left, MAP_PARTITIONS).countByKey());
    assertMapsRanOnBothExecutors();
  }

  @Test
  void recordKeysHoldingAnEnumReduceOncePerKey() {
    List<Pair<Color, Long>> data = colors(20_000, 4);
    List<Pair<Shipment, Long>> byRecord = rekey(data, p -> new Shipment(p.key(), (int) (p.value() % 3)));
    List<Pair<Shipment, Long>> records = wc.parallelizePairs(byRecord, MAP_PARTITIONS)
        .reduceByKey(Long::sum, REDUCERS).collect();
    assertEquals(sums(byRecord), uniqueKeys(records));
    assertMapsRanOnBothExecutors();
  }

  @Test
  void pairKeysHoldingAnEnumReduceOncePerKey() {
    List<Pair<Color, Long>> data = colors(20_000, 5);
    List<Pair<Pair<Color, String>, Long>> byPair = rekey(data, p -> Pair.of(p.key(), p.value() % 2 == 0 ? "even" : "odd"));
    List<Pair<Pair<Color, String>, Long>> pairs = wc.parallelizePairs(byPair, MAP_PARTITIONS)
        .reduceByKey(Long::sum, REDUCERS).collect();
    assertEquals(sums(byPair), uniqueKeys(pairs));
    assertEquals(new HashSet<>(byPair.stream().map(Pair::key).toList()).size(), pairs.size());
    assertMapsRanOnBothExecutors();
  }
}
