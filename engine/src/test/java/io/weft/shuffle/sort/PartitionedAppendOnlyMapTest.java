package io.weft.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.function.Fn2;
import io.weft.plan.Aggregator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
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
 * partitions, and enough keys to grow the table many times; and the primitive path of a long
 * sum ({@code Long::sum}) against the same HashMap and against the general path's exceptions.
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

  /** reduceByKey's aggregator for {@code f}: identity, then f for both merges. */
  private static Aggregator<String, Long, Long> reduce(Fn2<Long, Long, Long> f) {
    return new Aggregator<>(v -> v, f, f);
  }

  @Test
  void aLongSumAddsPrimitivesAndGivesWhatTheBoxedSumGives() {
    PartitionedAppendOnlyMap<String, Long, Long> fast = new PartitionedAppendOnlyMap<>(reduce(Long::sum));
    PartitionedAppendOnlyMap<String, Long, Long> general = new PartitionedAppendOnlyMap<>(reduce((a, b) -> a + b));
    assertTrue(fast.primitiveLongs());
    assertFalse(general.primitiveLongs(), "a written-out lambda is not recognised");
    Random rnd = new Random(11);
    Map<Pair<Integer, String>, Long> expected = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      String key = rnd.nextInt(20) == 0 ? null : "k" + rnd.nextInt(20_000);
      int partition = rnd.nextInt(2);
      // large values too, so sums wrap exactly as Long.sum wraps
      long value = rnd.nextInt(50) == 0 ? Long.MAX_VALUE - rnd.nextInt(3) : rnd.nextInt(1000) - 500;
      fast.insert(partition, key, value);
      general.insert(partition, key, value);
      expected.merge(Pair.of(partition, key), value, Long::sum);
    }
    assertTrue(fast.primitiveLongs(), "all values were Longs: still primitive after growing");
    expected.forEach((pk, sum) -> assertEquals(sum, fast.get(pk.key(), pk.value()), "key " + pk));
    Map<Pair<Integer, String>, Long> fastOut = emitted(fast, 2);
    assertEquals(expected, fastOut);
    assertEquals(emitted(general, 2), fastOut);
  }

  @Test
  void aValueThatIsNotALongLeavesThePrimitivePathWithoutChangingResults() {
    PartitionedAppendOnlyMap<String, Long, Long> map = new PartitionedAppendOnlyMap<>(reduce(Long::sum));
    map.insert(0, "a", 1L);
    map.insert(0, "b", null); // a new key: its combiner is the null itself, as on the general path
    assertFalse(map.primitiveLongs());
    map.insert(0, "a", 2L);
    assertEquals(3L, map.get(0, "a"));
    assertNull(map.get(0, "b"));
    // merging into a null combiner fails as Long::sum fails: unboxing null
    assertThrows(NullPointerException.class, () -> map.insert(0, "b", 5L));
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aBadValueFailsAsTheUsersFunctionFails() {
    PartitionedAppendOnlyMap<String, Long, Long> map = new PartitionedAppendOnlyMap<>(reduce(Long::sum));
    map.insert(0, "a", 1L);
    assertThrows(NullPointerException.class, () -> map.insert(0, "a", null));
    PartitionedAppendOnlyMap raw = new PartitionedAppendOnlyMap<>(reduce(Long::sum));
    raw.insert(0, "a", 1L);
    // an Integer smuggled in through raw types: Long::sum's cast fails on both paths
    assertThrows(ClassCastException.class, () -> raw.insert(0, "a", 7));
  }

  @Test
  void onlyLongSumItselfIsRecognisedAndItSurvivesSerialization() throws Exception {
    assertTrue(Aggregators.isLongSum((Fn2<Long, Long, Long>) Long::sum));
    assertFalse(Aggregators.isLongSum((Fn2<Long, Long, Long>) Math::addExact), "addExact throws on overflow");
    assertFalse(Aggregators.isLongSum((Fn2<Long, Long, Long>) Long::max));
    assertFalse(Aggregators.isLongSum((Fn2<Integer, Integer, Integer>) Integer::sum));
    assertFalse(Aggregators.isLongSum(null));
    assertFalse(Aggregators.isLongSum(new Object()));
    // a task's aggregator reaches executors serialized: the deserialized lambda is recognised too
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(reduce(Long::sum));
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      Aggregator<?, ?, ?> copy = (Aggregator<?, ?, ?>) in.readObject();
      assertTrue(Aggregators.isLongSum(copy.mergeValue()));
      assertTrue(Aggregators.isLongSum(Aggregators.combinersOnly(copy).mergeValue()));
    }
  }

  private static Map<Pair<Integer, String>, Long> emitted(PartitionedAppendOnlyMap<String, Long, Long> map, int partitions) {
    Map<Pair<Integer, String>, Long> emitted = new HashMap<>();
    PartitionedRecords<String, Long> records = map.sortedRecords(partitions, null);
    for (int p = 0; p < partitions; p++) {
      for (Iterator<Pair<String, Long>> it = records.partition(p); it.hasNext(); ) {
        Pair<String, Long> r = it.next();
        emitted.put(Pair.of(p, r.key()), r.value());
      }
    }
    return emitted;
  }
}
