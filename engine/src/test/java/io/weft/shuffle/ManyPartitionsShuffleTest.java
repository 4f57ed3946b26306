package io.weft.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shuffle of 2,000 map partitions into 500 reduce partitions where about 98% of the blocks are
 * empty, in local mode and with executors in their own JVMs (block sizes cross the process
 * boundary as map statuses, the task's block list as a LaunchTask), checked against plain Java.
 * Also a coalesce, a union and a join over reduced data, whose tasks read several or other
 * reduce partitions than their own index.
 */
class ManyPartitionsShuffleTest {
  private static final int RECORDS = 20_000;
  private static final int KEYS = 5_000;

  @TempDir Path localDir;

  private WeftConf conf(String master) {
    return new WeftConf(false).setMaster(master).setAppName("many-partitions")
        .set("weft.local.dir", localDir.toString())
        .set("weft.executor.registration.timeout", "60s");
  }

  private static List<Integer> numbers() {
    List<Integer> out = new ArrayList<>(RECORDS);
    for (int i = 0; i < RECORDS; i++) {
      out.add(i);
    }
    return out;
  }

  private static Map<Integer, Long> expectedCounts() {
    Map<Integer, Long> counts = new HashMap<>();
    for (int i = 0; i < RECORDS; i++) {
      counts.merge(i % KEYS, 1L, Long::sum);
    }
    return counts;
  }

  /** 2,000 maps of 10 consecutive numbers: each writes at most 10 of its 500 blocks. */
  private static Map<Integer, Long> countByKeyIn500(WeftContext wc) {
    return wc.parallelize(numbers(), 2_000)
        .mapToPair(i -> Pair.of(i % KEYS, 1L))
        .reduceByKey(Long::sum, 500)
        .collectAsMap();
  }

  @Test
  void twoThousandMapsIntoFiveHundredReducesInLocalMode() {
    try (WeftContext wc = WeftContext.create(conf("local[2]"))) {
      assertEquals(expectedCounts(), countByKeyIn500(wc));
    }
  }

  @Test
  void twoThousandMapsIntoFiveHundredReducesWithExecutorsInOtherJvms() {
    try (WeftContext wc = WeftContext.create(conf("local-cluster[2,1,512]"))) {
      assertEquals(expectedCounts(), countByKeyIn500(wc));
    }
  }

  /** Requests ahead bounded to 3 blocks and 2 KiB: every block still read once, in order. */
  @Test
  void tightFetchAheadBoundsAcrossExecutorJvmsReadEveryBlock() {
    try (WeftContext wc = WeftContext.create(conf("local-cluster[2,1,512]")
        .set("weft.shuffle.maxBlocksInFlight", "3").set("weft.shuffle.maxBytesInFlight", "2k"))) {
      Map<Integer, Long> counts = wc.parallelize(numbers(), 400)
          .mapToPair(i -> Pair.of(i % KEYS, 1L))
          .reduceByKey(Long::sum, 300)
          .collectAsMap();
      assertEquals(expectedCounts(), counts);
    }
  }

  @Test
  void coalesceUnionAndJoinOverManySparsePartitionsReadEveryRecord() {
    try (WeftContext wc = WeftContext.create(conf("local[2]"))) {
      var counts = wc.parallelize(numbers(), 200).mapToPair(i -> Pair.of(i % KEYS, 1L)).reduceByKey(Long::sum, 300);
      var squares = wc.parallelize(numbers(), 150).mapToPair(i -> Pair.of(i % 97, (long) i)).reduceByKey(Long::sum, 400);

      Map<Integer, Long> coalesced = new HashMap<>();
      counts.coalesce(7).collect().forEach(p -> coalesced.merge(p.key(), p.value(), Long::sum));
      assertEquals(expectedCounts(), coalesced);

      assertEquals(KEYS + 97, counts.union(squares).collect().size());

      Map<Integer, Long> sumsMod97 = new HashMap<>();
      numbers().forEach(i -> sumsMod97.merge(i % 97, (long) i, Long::sum));
      Map<Integer, Pair<Long, Long>> expectedJoin = new HashMap<>();
      sumsMod97.forEach((k, v) -> expectedJoin.put(k, Pair.of(expectedCounts().get(k), v)));
      assertEquals(expectedJoin, counts.join(squares, 250).collectAsMap());
    }
  }
}
