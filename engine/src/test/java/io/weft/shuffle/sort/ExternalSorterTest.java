package io.weft.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.HashPartitioner;
import io.weft.Pair;
import io.weft.Partitioner;
import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.plan.Aggregator;
import io.weft.serialization.DeserializationStream;
import io.weft.serialization.WeftSerializer;
import io.weft.testing.TestingTaskContexts;
import io.weft.util.BoundedInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ExternalSorter with a 64 KiB budget over ~200k records, so it spills many times; every
 * outcome is checked against a plain HashMap/TreeMap computation of the same records.
 */
class ExternalSorterTest {
  private static final long BUDGET = 64 * 1024;
  private static final int RECORDS = 200_000;
  private static final Aggregator<String, Integer, Long> SUM =
      new Aggregator<>(v -> (long) v, (c, v) -> c + v, Long::sum);

  @TempDir Path tmp;
  private TestingTaskContexts executor;

  @BeforeEach
  void setUp() {
    executor = TestingTaskContexts.create(tmp.resolve("exec"), BUDGET, 1 << 20);
  }

  /** Random records over {@code distinctKeys} keys, some of them null. */
  private static List<Pair<String, Integer>> records(int n, int distinctKeys, long seed) {
    Random rnd = new Random(seed);
    List<Pair<String, Integer>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int k = rnd.nextInt(distinctKeys);
      out.add(Pair.of(k == 0 ? null : "key-" + k, rnd.nextInt(100)));
    }
    return out;
  }

  private static <K> Map<K, Long> sums(List<Pair<K, Integer>> records) {
    Map<K, Long> expected = new HashMap<>();
    for (Pair<K, Integer> r : records) {
      expected.merge(r.key(), (long) r.value(), Long::sum);
    }
    return expected;
  }

  @Test
  void aggregatesWithoutOrderingAcrossManySpills() {
    List<Pair<String, Integer>> input = records(RECORDS, 20_000, 1);
    Partitioner partitioner = new HashPartitioner(7);
    TaskContext task = executor.task(0);
    ExternalSorter<String, Integer, Long> sorter =
        new ExternalSorter<>(task, SUM, partitioner, null, new WeftSerializer());
    sorter.insertAll(input.iterator());
    assertTrue(sorter.spillCount() > 10, "only " + sorter.spillCount() + " spills");
    assertTrue(task.metrics().spillBytes() > 0);

    Map<String, Long> actual = new HashMap<>();
    int lastPartition = 0;
    for (Iterator<Pair<String, Long>> it = sorter.iterator(); it.hasNext(); ) {
      Pair<String, Long> r = it.next();
      int p = partitioner.partitionFor(r.key());
      assertTrue(p >= lastPartition, "partition order");
      lastPartition = p;
      assertNull(actual.put(r.key(), r.value()), "key " + r.key() + " emitted twice");
    }
    assertEquals(sums(input), actual);
    sorter.stop();
    assertEquals(0, executor.dirs().tempFileCount());
  }

  @Test
  void aggregatesWithOrderingIntoSortedOutput() {
    List<Pair<String, Integer>> input = records(RECORDS, 20_000, 2);
    input.removeIf(r -> r.key() == null); // natural order has no place for null
    ExternalSorter<String, Integer, Long> sorter =
        new ExternalSorter<>(executor.task(0), SUM, null, Comparator.naturalOrder(), new WeftSerializer());
    sorter.insertAll(input.iterator());
    assertTrue(sorter.spillCount() > 10);

    List<Pair<String, Long>> actual = new ArrayList<>();
    sorter.iterator().forEachRemaining(actual::add);
    List<Pair<String, Long>> expected = new ArrayList<>();
    new TreeMap<>(sums(input)).forEach((k, v) -> expected.add(Pair.of(k, v)));
    assertEquals(expected, actual);
    sorter.stop();
    assertEquals(0, executor.dirs().tempFileCount());
  }

  @Test
  void combinesKeysWhoseHashCodesCollideAcrossSpills() {
    // "Aa" and "BB" have the same hash code, so all 2^6 words of six such blocks collide
    List<String> colliding = new ArrayList<>();
    for (int bits = 0; bits < 64; bits++) {
      StringBuilder sb = new StringBuilder();
      for (int b = 0; b < 6; b++) {
        sb.append((bits >> b & 1) == 0 ? "Aa" : "BB");
      }
      colliding.add(sb.toString());
    }
    assertEquals(1, colliding.stream().map(String::hashCode).distinct().count());
    Random rnd = new Random(3);
    List<Pair<String, Integer>> input = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      String key = rnd.nextBoolean() ? colliding.get(rnd.nextInt(64)) : "k" + rnd.nextInt(5000);
      input.add(Pair.of(key, rnd.nextInt(10)));
    }
    ExternalSorter<String, Integer, Long> sorter =
        new ExternalSorter<>(executor.task(0), SUM, new HashPartitioner(3), null, new WeftSerializer());
    sorter.insertAll(input.iterator());
    assertTrue(sorter.spillCount() > 5);
    Map<String, Long> actual = new HashMap<>();
    sorter.iterator().forEachRemaining(r -> assertNull(actual.put(r.key(), r.value())));
    assertEquals(sums(input), actual);
    sorter.stop();
  }

  @Test
  void sortsWithoutAggregator() {
    List<Pair<String, Integer>> input = records(RECORDS, 50_000, 4);
    input.removeIf(r -> r.key() == null);
    Comparator<String> reverse = Comparator.reverseOrder();
    ExternalSorter<String, Integer, Integer> sorter =
        new ExternalSorter<>(executor.task(0), null, null, reverse, new WeftSerializer());
    sorter.insertAll(input.iterator());
    assertTrue(sorter.spillCount() > 10);
    List<Pair<String, Integer>> actual = new ArrayList<>();
    sorter.iterator().forEachRemaining(actual::add);

    assertEquals(input.size(), actual.size());
    for (int i = 1; i < actual.size(); i++) {
      assertTrue(reverse.compare(actual.get(i - 1).key(), actual.get(i).key()) <= 0, "sorted at " + i);
    }
    assertEquals(multiset(input), multiset(actual));
    sorter.stop();
    assertEquals(0, executor.dirs().tempFileCount());
  }

  @Test
  void groupsByPartitionWithoutAggregatorOrOrdering() {
    List<Pair<String, Integer>> input = records(RECORDS, 50_000, 5);
    Partitioner partitioner = new HashPartitioner(11);
    ExternalSorter<String, Integer, Integer> sorter =
        new ExternalSorter<>(executor.task(0), null, partitioner, null, new WeftSerializer());
    sorter.insertAll(input.iterator());
    assertTrue(sorter.spillCount() > 10);
    List<Pair<String, Integer>> actual = new ArrayList<>();
    int last = 0;
    for (Iterator<Pair<String, Integer>> it = sorter.iterator(); it.hasNext(); ) {
      Pair<String, Integer> r = it.next();
      assertTrue(partitioner.partitionFor(r.key()) >= last);
      last = partitioner.partitionFor(r.key());
      actual.add(r);
    }
    assertEquals(multiset(input), multiset(actual));
    sorter.stop();
  }

  @Test
  void writesIndependentlyReadablePartitionBlocks() throws IOException {
    List<Pair<String, Integer>> input = records(RECORDS, 10_000, 6);
    Partitioner partitioner = new HashPartitioner(5);
    ExternalSorter<String, Integer, Long> sorter =
        new ExternalSorter<>(executor.task(0), SUM, partitioner, null, new WeftSerializer());
    sorter.insertAll(input.iterator());
    File out = tmp.resolve("out.data").toFile();
    long[] lengths = sorter.writePartitionedFile(out);
    sorter.stop();
    assertEquals(out.length(), java.util.Arrays.stream(lengths).sum());

    Map<String, Long> actual = new HashMap<>();
    long offset = 0;
    // read partitions last to first: each block must stand alone from its offset
    long[] offsets = new long[lengths.length];
    for (int p = 0; p < lengths.length; p++) {
      offsets[p] = offset;
      offset += lengths[p];
    }
    for (int p = lengths.length - 1; p >= 0; p--) {
      try (FileInputStream file = new FileInputStream(out)) {
        file.getChannel().position(offsets[p]);
        InputStream block = new BoundedInputStream(file, lengths[p], true, "block " + p);
        DeserializationStream in = new WeftSerializer().newInstance().deserializeStream(block);
        for (Iterator<Pair<String, Long>> it = in.asKeyValueIterator(); it.hasNext(); ) {
          Pair<String, Long> r = it.next();
          assertEquals(p, partitioner.partitionFor(r.key()));
          assertNull(actual.put(r.key(), r.value()));
        }
      }
    }
    assertEquals(sums(input), actual);
    assertEquals(actual.size(), sorter.recordsWritten());
    assertEquals(0, executor.dirs().tempFileCount());
  }

  @Test
  void taskCompletionDeletesSpillsEvenWithoutStop() {
    TaskContext task = executor.task(0);
    ExternalSorter<String, Integer, Long> sorter =
        new ExternalSorter<>(task, SUM, new HashPartitioner(2), null, new WeftSerializer());
    sorter.insertAll(records(50_000, 20_000, 7).iterator());
    assertTrue(sorter.spillCount() > 0);
    assertTrue(executor.dirs().tempFileCount() > 0);
    task.markCompleted(); // as when the task fails half-way
    assertEquals(0, executor.dirs().tempFileCount());
  }

  @Test
  void keepsEverythingInMemoryWithinBudget() {
    TestingTaskContexts roomy = TestingTaskContexts.create(tmp.resolve("roomy"), 64L << 20, 1 << 20);
    List<Pair<String, Integer>> input = records(10_000, 100, 8);
    ExternalSorter<String, Integer, Long> sorter =
        new ExternalSorter<>(roomy.task(0), SUM, new HashPartitioner(4), null, new WeftSerializer());
    sorter.insertAll(input.iterator());
    assertEquals(0, sorter.spillCount());
    Map<String, Long> actual = new HashMap<>();
    sorter.iterator().forEachRemaining(r -> actual.put(r.key(), r.value()));
    assertEquals(sums(input), actual);
  }

  /**
   * A key that counts calls of its hashCode, to see whether the output step sorted by hash. A
   * class, not a record: the partitioning hash of a record combines its components' hashes.
   */
  static final class CountedKey {
    static final java.util.concurrent.atomic.AtomicLong HASHES = new java.util.concurrent.atomic.AtomicLong();
    private final String name;

    CountedKey(String name) {
      this.name = name;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CountedKey k && k.name.equals(name);
    }

    @Override
    public int hashCode() {
      HASHES.incrementAndGet();
      return name.hashCode();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  @Test
  void aggregationThatDidNotSpillIsNotSortedByHash() {
    TestingTaskContexts roomy = TestingTaskContexts.create(tmp.resolve("roomy"), 64L << 20, 1 << 20);
    Random rnd = new Random(9);
    List<Pair<CountedKey, Integer>> input = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      input.add(Pair.of(new CountedKey("k" + rnd.nextInt(3_000)), rnd.nextInt(100)));
    }
    Partitioner partitioner = new HashPartitioner(5);
    Aggregator<CountedKey, Integer, Long> sum = new Aggregator<>(v -> (long) v, (c, v) -> c + v, Long::sum);
    ExternalSorter<CountedKey, Integer, Long> sorter =
        new ExternalSorter<>(roomy.task(0), sum, partitioner, null, new WeftSerializer());
    sorter.insertAll(input.iterator());
    assertEquals(0, sorter.spillCount());
    CountedKey.HASHES.set(0);
    List<Pair<CountedKey, Long>> out = new ArrayList<>();
    sorter.iterator().forEachRemaining(out::add);
    assertEquals(0, CountedKey.HASHES.get(), "hash codes computed to sort the output");

    Map<CountedKey, Long> actual = new HashMap<>();
    int lastPartition = 0;
    for (Pair<CountedKey, Long> r : out) {
      int p = partitioner.partitionFor(r.key());
      assertTrue(p >= lastPartition, "partition order");
      lastPartition = p;
      assertNull(actual.put(r.key(), r.value()), "key " + r.key() + " emitted twice");
    }
    assertEquals(sums(input), actual);
  }

  @Test
  void aggregationThatSpilledStillCombinesEveryKeyOnceInPartitionOrder() {
    // the same records under the 64 KiB budget: hash order is needed for the merge, and kept
    Random rnd = new Random(9);
    List<Pair<CountedKey, Integer>> input = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      input.add(Pair.of(new CountedKey("k" + rnd.nextInt(20_000)), rnd.nextInt(100)));
    }
    Partitioner partitioner = new HashPartitioner(5);
    Aggregator<CountedKey, Integer, Long> sum = new Aggregator<>(v -> (long) v, (c, v) -> c + v, Long::sum);
    ExternalSorter<CountedKey, Integer, Long> sorter =
        new ExternalSorter<>(executor.task(0), sum, partitioner, null, new WeftSerializer());
    sorter.insertAll(input.iterator());
    assertTrue(sorter.spillCount() > 3, "only " + sorter.spillCount() + " spills");
    Map<CountedKey, Long> actual = new HashMap<>();
    int lastPartition = 0;
    for (Iterator<Pair<CountedKey, Long>> it = sorter.iterator(); it.hasNext(); ) {
      Pair<CountedKey, Long> r = it.next();
      int p = partitioner.partitionFor(r.key());
      assertTrue(p >= lastPartition, "partition order");
      lastPartition = p;
      assertNull(actual.put(r.key(), r.value()), "key " + r.key() + " emitted twice");
    }
    assertEquals(sums(input), actual);
    sorter.stop();
  }

  private static <K, V> Map<Pair<K, V>, Integer> multiset(List<Pair<K, V>> records) {
    Map<Pair<K, V>, Integer> counts = new HashMap<>();
    for (Pair<K, V> r : records) {
      counts.merge(r, 1, Integer::sum);
    }
    return counts;
  }

  /**
   * A task whose share another of its consumers holds (a shuffle read's sorter still being
   * consumed while the task writes the next shuffle) gets nothing for a second sorter: it spills
   * runs of the spill floor, not a file every 32 records.
   */
  @Test
  void aSorterGrantedNothingSpillsNoRunSmallerThanTheSpillFloor() {
    long floor = 256 * 1024;
    TestingTaskContexts big = TestingTaskContexts.create(tmp.resolve("big"), 64L << 20, 1 << 20,
        new WeftConf(false).set("weft.shuffle.spill.initialMemoryThreshold", Long.toString(floor)));
    TaskContext task = big.task(0);
    long held = big.env().memory().acquireExecution(task.taskAttemptId(), 64L << 20);
    assertEquals(64L << 20, held, "the first consumer holds the task's whole share");
    List<Pair<String, Integer>> input = records(RECORDS, 20_000, 7);
    ExternalSorter<String, Integer, Long> sorter =
        new ExternalSorter<>(task, SUM, new HashPartitioner(3), null, new WeftSerializer());
    sorter.insertAll(input.iterator());
    assertTrue(sorter.spillCount() > 0, "granted nothing, it still spills");
    // a run of ~3,000 records reaches the 256 KiB floor; spilling every 32 records would make ~6,000
    assertTrue(sorter.spillCount() <= RECORDS / 1000, sorter.spillCount() + " spills: runs far below the floor");
    Map<String, Long> got = new HashMap<>();
    sorter.iterator().forEachRemaining(r -> got.put(r.key(), r.value()));
    assertEquals(sums(input), got);
    big.env().memory().releaseExecution(task.taskAttemptId(), held);
    task.markCompleted();
  }
}
