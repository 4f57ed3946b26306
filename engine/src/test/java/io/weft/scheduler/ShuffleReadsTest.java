package io.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.WeftContext;
import io.weft.plan.Node;
import io.weft.plan.ShuffleDependency;
import io.weft.shuffle.MapOutputLocation;
import io.weft.shuffle.ShuffleBlocks;
import io.weft.testing.TestingTasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which reduce partitions a task reads, and that it is given only their non-empty blocks. */
class ShuffleReadsTest {
  private WeftContext wc;
  private PairDataset<Integer, Long> a;
  private PairDataset<Integer, Long> b;

  @BeforeEach
  void setUp() {
    wc = TestingTasks.newContext();
    a = wc.parallelizePairs(List.of(Pair.of(1, 1L), Pair.of(2, 2L)), 3).reduceByKey(Long::sum, 10);
    b = wc.parallelizePairs(List.of(Pair.of(1, 5L)), 2).reduceByKey(Long::sum, 5);
  }

  @AfterEach
  void tearDown() {
    wc.close();
  }

  private static int shuffleOf(PairDataset<?, ?> reduced) {
    return ((ShuffleDependency<?, ?, ?>) reduced.node().dependencies().get(0)).shuffleId();
  }

  @Test
  void aShuffledPartitionReadsItsOwnReducePartition() {
    Map<Integer, int[]> reads = ShuffleReads.reducePartitionsRead(a.mapValues(v -> v + 1).node(), 3);
    assertEquals(List.of(shuffleOf(a)), List.copyOf(reads.keySet()));
    assertArrayEquals(new int[] {3}, reads.get(shuffleOf(a)));
  }

  @Test
  void aCoalescedPartitionReadsTheReducePartitionsItGroupsAndTogetherTheyReadAllOnce() {
    Node<?> coalesced = a.coalesce(3).node();
    List<Integer> all = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      for (int r : ShuffleReads.reducePartitionsRead(coalesced, p).get(shuffleOf(a))) {
        all.add(r);
      }
    }
    assertEquals(10, all.size());
    assertEquals(new TreeSet<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)), new TreeSet<>(all));
  }

  @Test
  void aUnionPartitionReadsOnlyTheShuffleItComesFromAndAJoinReadsBoth() {
    Node<?> union = a.union(b).node();
    Map<Integer, int[]> reads = ShuffleReads.reducePartitionsRead(union, 12);
    assertEquals(List.of(shuffleOf(b)), List.copyOf(reads.keySet()));
    assertArrayEquals(new int[] {2}, reads.get(shuffleOf(b)));

    Map<Integer, int[]> joined = ShuffleReads.reducePartitionsRead(a.join(b, 4).node(), 1);
    assertEquals(2, joined.size());
    joined.values().forEach(r -> assertArrayEquals(new int[] {1}, r));
  }

  @Test
  void blocksListOnlyNonEmptyBlocksInMapOrderWithEachLocationOnce() {
    MapOutputLocation x = new MapOutputLocation("x", "hx", 1);
    MapOutputLocation y = new MapOutputLocation("y", "hy", 2);
    MapStatus[] maps = {
        MapStatus.of(x, new long[] {0, 10, 0, 20}, 2000, 1 << 20),
        MapStatus.of(y, new long[] {0, 0, 0, 30}, 2000, 1 << 20),
        MapStatus.of(x, new long[] {5, 6, 0, 7}, 2000, 1 << 20)};
    ShuffleBlocks blocks = ShuffleReads.blocks(4, maps, new int[] {1, 2, 3});
    assertEquals(5, blocks.blockCount());
    int[][] expected = {{0, 1}, {0, 3}, {1, 3}, {2, 1}, {2, 3}};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i][0], blocks.mapIndex(i), "block " + i);
      assertEquals(expected[i][1], blocks.reduceId(i), "block " + i);
      assertEquals(maps[expected[i][0]].location(), blocks.location(i));
    }
    assertEquals(List.of(x, y), blocks.locations());
    assertTrue(blocks.blockSize(0) >= 10 && blocks.blockSize(0) <= 11, "size of map 0's block 1, as its status says");
    assertEquals(0, ShuffleReads.blocks(4, maps, new int[] {2}).blockCount(), "partition 2 is empty everywhere");
  }
}
