package io.weft.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.HashPartitioner;
import io.weft.Pair;
import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.executor.ExecutorEnv;
import io.weft.plan.Aggregator;
import io.weft.plan.ShuffleDependency;
import io.weft.scheduler.MapStatus;
import io.weft.scheduler.ShuffleReads;
import io.weft.serialization.WeftSerializer;
import io.weft.shuffle.fetch.LocalShuffleBlockFetcher;
import io.weft.shuffle.fetch.ShuffleBlockFetcher;
import io.weft.shuffle.sort.SortShuffleWriter;
import io.weft.storage.LocalDirs;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reducers of a shuffle with many partitions, most of them empty: only non-empty blocks are
 * opened, each map output's index is read once for all reducers, and the result is what plain
 * Java computes.
 */
class SkipEmptyBlocksTest {
  private static final int MAPS = 40;
  private static final int REDUCES = 3000;
  private static final Aggregator<Integer, Long, Long> SUM = new Aggregator<>(v -> v, Long::sum, Long::sum);

  @TempDir Path tmp;

  @Test
  void onlyNonEmptyBlocksAreFetchedAndEachIndexIsReadOnce() {
    LocalDirs dirs = new LocalDirs(tmp.resolve("exec"));
    IndexShuffleBlockResolver resolver = new IndexShuffleBlockResolver(dirs, 32 << 20);
    AtomicLong opens = new AtomicLong();
    ShuffleBlockFetcher local = new LocalShuffleBlockFetcher(resolver);
    ShuffleBlockFetcher counting = (location, shuffleId, mapIndex, reduceId) -> {
      opens.incrementAndGet();
      return local.open(location, shuffleId, mapIndex, reduceId);
    };
    ExecutorEnv env = new ExecutorEnv("exec-1", "localhost", 0, new WeftConf(false), dirs, resolver, null,
        1 << 20, counting, null);
    MapOutputLocation here = new MapOutputLocation("exec-1", "localhost", 0);
    ShuffleDependency<Integer, Long, Long> dep = new ShuffleDependency<>(null, 9, new HashPartitioner(REDUCES),
        new WeftSerializer(), SUM, true, null);

    // map m holds keys 7m .. 7m+6 (each twice): 7 non-empty blocks of 3,000
    Map<Integer, Long> expected = new HashMap<>();
    MapStatus[] statuses = new MapStatus[MAPS];
    long nonEmpty = 0;
    for (int m = 0; m < MAPS; m++) {
      List<Pair<Integer, Long>> input = new ArrayList<>();
      for (int i = 0; i < 14; i++) {
        int key = 7 * m + i % 7;
        input.add(Pair.of(key, (long) i));
        expected.merge(key, (long) i, Long::sum);
      }
      TaskContext task = new TaskContext(0, 0, m, 0, m, env, Map.of());
      long[] lengths = new SortShuffleWriter().write(dep, m, input.iterator(), task);
      task.markCompleted();
      for (long l : lengths) {
        nonEmpty += l > 0 ? 1 : 0;
      }
      statuses[m] = MapStatus.of(here, lengths, 2000, 1L << 20);
    }
    assertTrue(nonEmpty >= MAPS && nonEmpty <= MAPS * 7, nonEmpty + " non-empty blocks");

    Map<Integer, Long> actual = new HashMap<>();
    for (int r = 0; r < REDUCES; r++) {
      ShuffleBlocks blocks = ShuffleReads.blocks(9, statuses, new int[] {r});
      TaskContext task = new TaskContext(1, 0, r, 0, MAPS + r, env, Map.of(9, blocks));
      ShuffleReader.read(dep, r, r + 1, task).forEachRemaining(p -> actual.merge(p.key(), p.value(), Long::sum));
      task.markCompleted();
    }
    assertEquals(expected, actual);
    assertEquals(nonEmpty, opens.get(), "one open per non-empty block, none of the "
        + (MAPS * REDUCES - nonEmpty) + " empty ones");
    assertEquals(MAPS, resolver.indexFileReads(), "each index read once, not once per reducer");
  }

  @Test
  void aReducePartitionTheTaskWasNotGivenIsAnErrorNotAnEmptyResult() {
    LocalDirs dirs = new LocalDirs(tmp.resolve("exec2"));
    ExecutorEnv env = new ExecutorEnv("exec-1", "localhost", 0, new WeftConf(false), dirs,
        new IndexShuffleBlockResolver(dirs, 1 << 20), null, 1 << 20, (l, s, m, r) -> InputStream.nullInputStream(), null);
    ShuffleDependency<Integer, Long, Long> dep = new ShuffleDependency<>(null, 3, new HashPartitioner(10),
        new WeftSerializer(), SUM, true, null);
    TaskContext task = new TaskContext(1, 0, 4, 0, 1, env, Map.of(3, new ShuffleBlocks.Builder(3, new int[] {4}).build()));
    assertEquals(false, ShuffleReader.read(dep, 4, 5, task).hasNext());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ShuffleReader.read(dep, 5, 6, task));
    assertTrue(e.getMessage().contains("reduce partition 5 of shuffle 3"), e.getMessage());
  }
}
