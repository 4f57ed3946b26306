package io.weft.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Dataset;
import io.weft.HashPartitioner;
import io.weft.LongAccumulator;
import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.StorageLevel;
import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.status.ListenerEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Executors with a tiny memory pool ({@code weft.memory.size}): a task that aggregates, joins and
 * combines at once completes by spilling, every executor's manager reports it never granted more
 * than its pool, and a cached dataset several times the pool is cached partly in memory and
 * partly on disk (MEMORY_AND_DISK) or recomputed (MEMORY_ONLY). Results are checked against plain
 * Java. local-cluster runs executors in their own 512 MiB JVMs.
 */
@Timeout(240)
class ExecutorMemoryTest {
  private static final int RECORDS = 200_000;
  private static final int KEYS = 50_000;
  private static final long POOL = 1L << 20;

  @TempDir Path dir;

  private WeftContext context(String master, long pool) {
    return WeftContext.create(new WeftConf(false).setMaster(master).setAppName("executor-memory")
        .set("weft.local.dir", dir.resolve("local").toString())
        .set("weft.executor.registration.timeout", "60s")
        .set("weft.memory.size", Long.toString(pool)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"local[2]", "local-cluster[2,1,512]"})
  void aTaskThatAggregatesJoinsAndCombinesSpillsWithinThePool(String master) {
    AtomicLong spills = new AtomicLong();
    try (WeftContext wc = context(master, POOL)) {
      wc.addListener(e -> {
        if (e instanceof ListenerEvent.TaskEnded t) {
          spills.addAndGet(t.metrics().spillCount());
        }
      });
      HashPartitioner byKey = new HashPartitioner(4);
      PairDataset<Integer, Long> sums = wc.parallelize(IntStream.range(0, RECORDS).boxed().toList(), 4)
          .mapToPair(i -> Pair.of(i % KEYS, (long) i))
          .reduceByKey(Long::sum, byKey);
      PairDataset<Integer, String> groups = wc.parallelize(IntStream.range(0, KEYS).filter(k -> k % 3 != 0).boxed().toList(), 3)
          .mapToPair(k -> Pair.of(k, "g" + k % 7));
      // one task per reduce partition reads the sums in place (reduce-side aggregation), builds
      // the join, and combines its output on the map side of the last shuffle
      Map<String, Long> actual = sums.join(groups, byKey)
          .mapToPair(p -> Pair.of(p.value().value(), p.value().key()))
          .reduceByKey(Long::sum, 3)
          .collectAsMap();
      assertEquals(expectedGroupSums(), actual);
      assertTrue(wc.listenerBus().waitUntilEmpty(30_000), "listener bus drained");
      assertTrue(spills.get() > 0, "a 1 MiB pool cannot hold " + KEYS + " keys: the tasks spilled");
      for (Map.Entry<String, long[]> e : memoryByExecutor(wc).entrySet()) {
        long[] m = e.getValue();
        assertEquals(POOL, m[0], e.getKey() + "'s pool is weft.memory.size");
        assertTrue(m[1] >= POOL / 4 && m[1] <= POOL,
            e.getKey() + " used its share and granted at most its pool: high-water mark " + m[1]);
        assertEquals(0, m[2], e.getKey() + ": every task gave its execution memory back");
        assertEquals(0, m[3], e.getKey() + ": no consumer left memory for the task-end leak check");
      }
    }
  }

  private static Map<String, Long> expectedGroupSums() {
    Map<Integer, Long> sums = new HashMap<>();
    for (int i = 0; i < RECORDS; i++) {
      sums.merge(i % KEYS, (long) i, Long::sum);
    }
    Map<String, Long> out = new HashMap<>();
    for (int k = 0; k < KEYS; k++) {
      if (k % 3 != 0 && sums.containsKey(k)) {
        out.merge("g" + k % 7, sums.get(k), Long::sum);
      }
    }
    return out;
  }

  /**
   * Caching 16 partitions of about 1 MiB each on executors whose whole pool is 4 MiB: with
   * MEMORY_AND_DISK nothing is computed twice; with MEMORY_ONLY what did not fit is recomputed,
   * and what fit is not. Both give the same records as plain Java.
   */
  @Test
  void cachingMoreThanTheStorageMemorySpillsToDiskOrRecomputes() {
    try (WeftContext wc = context("local-cluster[2,1,512]", 4L << 20)) {
      long expectedLength = expectedTotalLength();
      long[] andDisk = cacheTwice(wc, StorageLevel.MEMORY_AND_DISK);
      assertEquals(expectedLength, andDisk[0]);
      assertEquals(expectedLength, andDisk[1]);
      assertEquals(0, andDisk[2], "MEMORY_AND_DISK: every partition came from memory or disk the second time");
      long[] memoryOnly = cacheTwice(wc, StorageLevel.MEMORY_ONLY);
      assertEquals(expectedLength, memoryOnly[0]);
      assertEquals(expectedLength, memoryOnly[1]);
      assertTrue(memoryOnly[2] > 0 && memoryOnly[2] < ROWS_PER_PARTITION * 16L,
          "MEMORY_ONLY: partitions that did not fit were recomputed, the others not: " + memoryOnly[2]);
      memoryByExecutor(wc).forEach((exec, m) ->
          assertTrue(m[1] <= m[0], exec + " granted at most its pool: high-water mark " + m[1]));
    }
  }

  private static final int ROWS_PER_PARTITION = 8_000;

  private static long expectedTotalLength() {
    long total = 0;
    for (int p = 0; p < 16; p++) {
      for (int i = 0; i < ROWS_PER_PARTITION; i++) {
        total += row(p, i).length();
      }
    }
    return total;
  }

  private static String row(int partition, int i) {
    return partition + "/" + i + "/" + "x".repeat(60);
  }

  /** Counts the total length twice over a persisted dataset: both totals and the records recomputed. */
  private static long[] cacheTwice(WeftContext wc, StorageLevel level) {
    LongAccumulator computed = wc.longAccumulator("computed-" + level);
    Dataset<String> rows = wc.parallelize(IntStream.range(0, 16).boxed().toList(), 16)
        .flatMap(p -> {
          List<String> out = new ArrayList<>(ROWS_PER_PARTITION);
          for (int i = 0; i < ROWS_PER_PARTITION; i++) {
            out.add(row(p, i));
          }
          return out.iterator();
        })
        .map(s -> {
          computed.add(1);
          return s;
        })
        .persist(level);
    long first = rows.map(s -> (long) s.length()).reduce(Long::sum);
    long afterFirst = computed.value();
    long second = rows.map(s -> (long) s.length()).reduce(Long::sum);
    long recomputed = computed.value() - afterFirst;
    rows.unpersist(true);
    return new long[] {first, second, recomputed};
  }

  /** Per executor: {pool, high-water mark, execution memory held now, bytes freed as leaks}. */
  private static Map<String, long[]> memoryByExecutor(WeftContext wc) {
    Map<String, long[]> out = new HashMap<>();
    wc.parallelize(IntStream.range(0, 8).boxed().toList(), 8)
        .map(i -> {
          UnifiedMemoryManager m = TaskContext.get().env().memory();
          return Pair.of(TaskContext.get().env().executorId(),
              new long[] {m.poolBytes(), m.highWaterMark(), m.executionUsed(), m.leakedBytes()});
        })
        .collect().forEach(p -> out.put(p.key(), p.value()));
    assertTrue(!out.isEmpty());
    return out;
  }
}
