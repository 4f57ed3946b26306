package io.weft.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weft.Pair;
import io.weft.plan.Aggregator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The aggregation map against a plain HashMap keyed by (partition, key): keys whose hash codes
 * collide ("Aa" and "BB" share one, so do all their concatenations), a null key, one key in several
 * partitions, and enough keys to grow the table many times.
 */
class PartitionedAppendOnlyMapTest {
  private static final Aggregator<String, Integer, Long> SUM =
      new Aggregator<>(v -> (long) v, (c, v) -> c + v, Long::sum);

  @Test
  void combinesLikeAHashMapThroughCollisionsAndGrowth() {
    List<String> colliding = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      StringBuilder b = new StringBuilder();
      for (int bit = 0; bit < 6; bit++) {
        b.append((i >> bit & 1) == 0 ? "Aa" : "BB");
      }
      colliding.add(b.toString()); // 64 distinct keys, one hash code
    }
    Random rnd = new Random(9);
    PartitionedAppendOnlyMap<String, Integer, Long> map = new PartitionedAppendOnlyMap<>(SUM);
    Map<Pair<Integer, String>, Long> expected = new HashMap<>();
    for (int i = 0; i < 200_000; i++) {
      int kind = rnd.nextInt(10);
      String key = kind == 0 ? null : kind < 4 ? colliding.get(rnd.nextInt(64)) : "k" + rnd.nextInt(30_000);
      int partition = rnd.nextInt(3);
      int value = rnd.nextInt(1000);
      map.insert(partition, key, value);
      expected.merge(Pair.of(partition, key), (long) value, Long::sum);
    }

    assertEquals(expected.size(), map.size());
    expected.forEach((pk, sum) -> assertEquals(sum, map.get(pk.key(), pk.value()), "key " + pk));
    Map<Pair<Integer, String>, Long> emitted = new HashMap<>();
    PartitionedRecords<String, Long> records = map.sortedRecords(3, null);
    for (int p = 0; p < 3; p++) {
      for (Iterator<Pair<String, Long>> it = records.partition(p); it.hasNext(); ) {
        Pair<String, Long> r = it.next();
        emitted.put(Pair.of(p, r.key()), r.value());
      }
    }
    assertEquals(expected, emitted);
  }
}
