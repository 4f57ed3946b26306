package io.weft.shuffle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.HashPartitioner;
import io.weft.Pair;
import io.weft.Partitioner;
import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.config.ShuffleOptions;
import io.weft.plan.ShuffleDependency;
import io.weft.serialization.JavaSerializer;
import io.weft.serialization.Serializer;
import io.weft.serialization.WeftSerializer;
import io.weft.shuffle.sort.SortShuffleWriter;
import io.weft.testing.TestingTaskContexts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shuffle without map-side combine written record by record into per-partition files
 * ({@code weft.shuffle.sort.bypassMergeThreshold}) reads back the same records, partition by
 * partition, as the grouping sorter's output and as a plain-Java grouping of the input; with
 * Weft's serializer the block lengths of both writers are equal, as the layout is the same.
 */
class BypassMergeShuffleTest {
  private static final int MAPS = 3;
  private static final int REDUCES = 6;

  @TempDir Path tmp;
  private final Partitioner partitioner = new HashPartitioner(REDUCES);

  private static List<List<Pair<String, Integer>>> inputs() {
    Random rnd = new Random(3);
    List<List<Pair<String, Integer>>> maps = new ArrayList<>();
    for (int m = 0; m < MAPS; m++) {
      List<Pair<String, Integer>> input = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        // keys 0..4 only in map 0: some partitions of the other maps are empty
        input.add(Pair.of(m == 0 ? "k" + rnd.nextInt(5) : "w" + rnd.nextInt(3_000), rnd.nextInt(100)));
      }
      maps.add(input);
    }
    return maps;
  }

  /** Writes all maps with the threshold given, reads every partition; returns the index lengths too. */
  private List<List<Pair<String, Integer>>> shuffle(String name, int threshold, Serializer serializer,
      long[][] lengths) {
    WeftConf conf = new WeftConf(false).set(ShuffleOptions.BYPASS_MERGE_THRESHOLD.key(), String.valueOf(threshold));
    TestingTaskContexts executor = TestingTaskContexts.create(tmp.resolve(name), 64 * 1024, 1 << 20, conf);
    ShuffleDependency<String, Integer, Integer> dep =
        new ShuffleDependency<>(null, 1, partitioner, serializer, null, false, null);
    List<List<Pair<String, Integer>>> maps = inputs();
    for (int m = 0; m < MAPS; m++) {
      TaskContext task = executor.task(m);
      lengths[m] = new SortShuffleWriter().write(dep, m, maps.get(m).iterator(), task);
      task.markCompleted();
      assertEquals(maps.get(m).size(), task.metrics().shuffleWriteRecords());
      assertEquals(executor.dirs().shuffleDataFile(1, m).length(), task.metrics().shuffleWriteBytes());
    }
    assertEquals(0, executor.dirs().tempFileCount(), "no partition, temp or spill files left");
    List<List<Pair<String, Integer>>> partitions = new ArrayList<>();
    for (int r = 0; r < REDUCES; r++) {
      TaskContext task = executor.task(r, executor.everyBlock(1, MAPS, r, r + 1));
      List<Pair<String, Integer>> records = new ArrayList<>();
      ShuffleReader.read(dep, r, r + 1, task).forEachRemaining(records::add);
      task.markCompleted();
      partitions.add(records);
    }
    return partitions;
  }

  private void assertSameAsPlainJava(Serializer serializer, boolean sameBytes) {
    List<List<Pair<String, Integer>>> expected = new ArrayList<>();
    for (int r = 0; r < REDUCES; r++) {
      expected.add(new ArrayList<>());
    }
    // map order, then input order within a map: how the reader meets the blocks
    for (List<Pair<String, Integer>> map : inputs()) {
      map.forEach(rec -> expected.get(partitioner.partitionFor(rec.key())).add(rec));
    }
    long[][] bypassLengths = new long[MAPS][];
    long[][] sorterLengths = new long[MAPS][];
    List<List<Pair<String, Integer>>> bypassed = shuffle("bypass", 200, serializer, bypassLengths);
    List<List<Pair<String, Integer>>> sorted = shuffle("sorter", 0, serializer, sorterLengths);

    assertEquals(expected, bypassed);
    assertEquals(counts(expected), counts(sorted)); // the sorter may reorder within a block
    for (int m = 0; m < MAPS && sameBytes; m++) {
      assertArrayEquals(sorterLengths[m], bypassLengths[m], "block lengths of map " + m);
    }
    assertTrue(Arrays.stream(bypassLengths[0]).anyMatch(l -> l == 0), "map 0 has an empty partition");
  }

  @Test
  void weftSerializer() {
    assertSameAsPlainJava(new WeftSerializer(), true);
  }

  @Test
  void javaSerializerWithItsStreamHeaders() {
    // Java streams share repeated objects by back-reference, which the sorter's spills cut: lengths differ
    assertSameAsPlainJava(new JavaSerializer(), false);
  }

  private static Map<Pair<String, Integer>, Integer> counts(List<List<Pair<String, Integer>>> partitions) {
    Map<Pair<String, Integer>, Integer> c = new HashMap<>();
    for (int r = 0; r < partitions.size(); r++) {
      for (Pair<String, Integer> rec : partitions.get(r)) {
        c.merge(Pair.of(rec.key() + "@" + r, rec.value()), 1, Integer::sum);
      }
    }
    return c;
  }
}
