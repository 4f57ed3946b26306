package io.weft.shuffle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.HashPartitioner;
import io.weft.Pair;
import io.weft.Partitioner;
import io.weft.TaskContext;
import io.weft.plan.Aggregator;
import io.weft.plan.ShuffleDependency;
import io.weft.serialization.JavaSerializer;
import io.weft.serialization.WeftSerializer;
import io.weft.shuffle.sort.SortShuffleWriter;
import io.weft.testing.TestingTaskContexts;
import java.io.DataInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Map tasks write with {@link SortShuffleWriter}, reduce tasks read with {@link ShuffleReader}
 * through the {@link io.weft.shuffle.fetch.LocalShuffleBlockFetcher}; results are compared with
 * a plain in-memory computation over all map inputs. A small shuffle memory makes both sides
 * spill.
 */
class ShuffleRoundTripTest {
  private static final int MAPS = 4;
  private static final int REDUCES = 5;
  private static final Aggregator<String, Integer, Long> SUM =
      new Aggregator<>(v -> (long) v, (c, v) -> c + v, Long::sum);

  @TempDir Path tmp;
  private TestingTaskContexts executor;
  private final Partitioner partitioner = new HashPartitioner(REDUCES);
  private final List<List<Pair<String, Integer>>> mapInputs = new ArrayList<>();

  @BeforeEach
  void setUp() {
    executor = TestingTaskContexts.create(tmp.resolve("exec"), 128 * 1024, 1 << 20);
    Random rnd = new Random(11);
    for (int m = 0; m < MAPS; m++) {
      List<Pair<String, Integer>> input = new ArrayList<>();
      for (int i = 0; i < 30_000; i++) {
        input.add(Pair.of("w" + rnd.nextInt(5_000), rnd.nextInt(10)));
      }
      mapInputs.add(input);
    }
  }

  private <C> ShuffleDependency<String, Integer, C> dep(int shuffleId, Aggregator<String, Integer, C> agg,
      boolean combine, Comparator<String> ordering) {
    return new ShuffleDependency<>(null, shuffleId, partitioner, new WeftSerializer(), agg, combine, ordering);
  }

  private long[][] writeAll(ShuffleDependency<String, Integer, ?> dep) {
    long[][] lengths = new long[MAPS][];
    for (int m = 0; m < MAPS; m++) {
      TaskContext task = executor.task(m);
      lengths[m] = new SortShuffleWriter().write(dep, m, mapInputs.get(m).iterator(), task);
      task.markCompleted();
      assertTrue(task.metrics().shuffleWriteRecords() > 0);
      assertEquals(executor.dirs().shuffleDataFile(dep.shuffleId(), m).length(), task.metrics().shuffleWriteBytes());
    }
    assertEquals(0, executor.dirs().tempFileCount(), "no temp or spill files left by the writers");
    return lengths;
  }

  private <C> List<Pair<String, C>> readAll(ShuffleDependency<String, Integer, C> dep, int start, int end) {
    TaskContext task = executor.task(start, executor.everyBlock(dep.shuffleId(), MAPS, start, end));
    List<Pair<String, C>> out = new ArrayList<>();
    ShuffleReader.read(dep, start, end, task).forEachRemaining(out::add);
    task.markCompleted();
    assertEquals(0, executor.dirs().tempFileCount(), "no spill files left by the reader");
    return out;
  }

  private Map<String, Long> expectedSums() {
    Map<String, Long> sums = new HashMap<>();
    mapInputs.forEach(in -> in.forEach(r -> sums.merge(r.key(), (long) r.value(), Long::sum)));
    return sums;
  }

  @Test
  void reduceByKeyWithMapSideCombine() throws IOException {
    ShuffleDependency<String, Integer, Long> dep = dep(1, SUM, true, null);
    long[][] lengths = writeAll(dep);
    for (int m = 0; m < MAPS; m++) {
      assertArrayEquals(lengths[m], indexLengths(executor.dirs().shuffleIndexFile(1, m)));
    }
    Map<String, Long> actual = new HashMap<>();
    for (int r = 0; r < REDUCES; r++) {
      for (Pair<String, Long> p : readAll(dep, r, r + 1)) {
        assertEquals(r, partitioner.partitionFor(p.key()));
        assertNull(actual.put(p.key(), p.value()), "key twice: " + p.key());
      }
    }
    assertEquals(expectedSums(), actual);
  }

  @Test
  void worksWithJavaSerializationToo() {
    ShuffleDependency<String, Integer, Long> dep =
        new ShuffleDependency<>(null, 7, partitioner, new JavaSerializer(), SUM, true, Comparator.naturalOrder());
    writeAll(dep);
    Map<String, Long> actual = new HashMap<>();
    String last = "";
    for (Pair<String, Long> p : readAll(dep, 2, 3)) {
      assertTrue(p.key().compareTo(last) > 0, "sorted, each key once");
      last = p.key();
      actual.put(p.key(), p.value());
    }
    Map<String, Long> expected = new HashMap<>(expectedSums());
    expected.keySet().removeIf(k -> partitioner.partitionFor(k) != 2);
    assertEquals(expected, actual);
  }

  @Test
  void aggregationOnlyOnTheReduceSideOverAPartitionRange() {
    ShuffleDependency<String, Integer, Long> dep = dep(2, SUM, false, null);
    writeAll(dep);
    Map<String, Long> actual = new HashMap<>();
    for (Pair<String, Long> p : readAll(dep, 1, 4)) {
      assertNull(actual.put(p.key(), p.value()));
    }
    Map<String, Long> expected = new HashMap<>(expectedSums());
    expected.keySet().removeIf(k -> partitioner.partitionFor(k) < 1 || partitioner.partitionFor(k) >= 4);
    assertEquals(expected, actual);
  }

  @Test
  void sortedWithoutAggregation() {
    ShuffleDependency<String, Integer, Integer> dep = dep(3, null, false, Comparator.naturalOrder());
    writeAll(dep);
    for (int r = 0; r < REDUCES; r++) {
      List<Pair<String, Integer>> got = readAll(dep, r, r + 1);
      List<Pair<String, Integer>> expected = new ArrayList<>();
      final int reduce = r;
      mapInputs.forEach(in -> in.stream().filter(p -> partitioner.partitionFor(p.key()) == reduce).forEach(expected::add));
      assertEquals(expected.size(), got.size());
      for (int i = 1; i < got.size(); i++) {
        assertTrue(got.get(i - 1).key().compareTo(got.get(i).key()) <= 0);
      }
      assertEquals(counts(expected), counts(got));
    }
  }

  @Test
  void streamsThroughWithoutAggregationOrOrderingAndCountsMetrics() {
    ShuffleDependency<String, Integer, Integer> dep = dep(4, null, false, null);
    writeAll(dep);
    TaskContext task = executor.task(0, executor.everyBlock(4, MAPS, 0, REDUCES));
    List<Pair<String, Integer>> got = new ArrayList<>();
    ShuffleReader.read(dep, 0, REDUCES, task).forEachRemaining(got::add);
    List<Pair<String, Integer>> all = new ArrayList<>();
    mapInputs.forEach(all::addAll);
    assertEquals(counts(all), counts(got));
    assertEquals(all.size(), task.metrics().shuffleReadRecords());
    long bytes = 0;
    for (int m = 0; m < MAPS; m++) {
      bytes += executor.dirs().shuffleDataFile(4, m).length();
    }
    assertEquals(bytes, task.metrics().shuffleReadBytes());
  }

  @Test
  void truncatedOutputIsAFetchFailureNamingTheFile() throws IOException {
    ShuffleDependency<String, Integer, Integer> dep = dep(5, null, false, null);
    writeAll(dep);
    File data = executor.dirs().shuffleDataFile(5, 2);
    try (RandomAccessFile f = new RandomAccessFile(data, "rw")) {
      f.setLength(f.length() / 2);
    }
    FetchFailedException e = assertThrows(FetchFailedException.class, () -> readAll(dep, 0, REDUCES));
    assertEquals(2, e.mapIndex());
    assertEquals(TestingTaskContexts.EXECUTOR_ID, e.executorId());
    assertTrue(e.getMessage().contains(data.getPath()), e.getMessage());
  }

  @Test
  void missingIndexIsAFetchFailureNamingTheFile() {
    ShuffleDependency<String, Integer, Integer> dep = dep(8, null, false, null);
    writeAll(dep);
    // before any read: a parsed index stays cached until its shuffle is removed
    File index = executor.dirs().shuffleIndexFile(8, 1);
    assertTrue(index.delete());
    FetchFailedException e = assertThrows(FetchFailedException.class, () -> readAll(dep, 0, REDUCES));
    assertEquals(1, e.mapIndex());
    assertTrue(e.getMessage().contains(index.getPath()), e.getMessage());
  }

  @Test
  void aSecondAttemptKeepsTheCommittedOutput() throws IOException {
    ShuffleDependency<String, Integer, Long> dep = dep(6, SUM, true, null);
    long[] first = new SortShuffleWriter().write(dep, 0, mapInputs.get(0).iterator(), executor.task(0));
    // a retried attempt with different (here: fewer) records must not tear or replace the output
    long[] second = new SortShuffleWriter().write(dep, 0, mapInputs.get(0).subList(0, 10).iterator(), executor.task(0));
    assertArrayEquals(first, second);
    assertArrayEquals(first, indexLengths(executor.dirs().shuffleIndexFile(6, 0)));
    assertEquals(0, executor.dirs().tempFileCount());
  }

  private static long[] indexLengths(File index) throws IOException {
    try (DataInputStream in = new DataInputStream(new FileInputStream(index))) {
      assertEquals((REDUCES + 1) * 8L, index.length());
      long[] lengths = new long[REDUCES];
      long offset = in.readLong();
      assertEquals(0, offset);
      for (int r = 0; r < REDUCES; r++) {
        long next = in.readLong();
        lengths[r] = next - offset;
        offset = next;
      }
      return lengths;
    }
  }

  private static <K, V> Map<Pair<K, V>, Integer> counts(List<Pair<K, V>> records) {
    Map<Pair<K, V>, Integer> c = new HashMap<>();
    records.forEach(r -> c.merge(r, 1, Integer::sum));
    return c;
  }
}
