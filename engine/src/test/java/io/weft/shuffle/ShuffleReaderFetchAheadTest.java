package io.weft.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.HashPartitioner;
import io.weft.Pair;
import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.executor.ExecutorEnv;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reduce side requests blocks ahead of reading them, and a block that fails to arrive is
 * still a {@link FetchFailedException} naming its own map output, with the blocks requested
 * after it given up.
 */
class ShuffleReaderFetchAheadTest {
  private static final int MAPS = 6;

  @TempDir Path tmp;

  /** Local blocks, with every request, await and release logged; map {@code failingMap}'s block fails. */
  private static final class LoggingFetcher implements ShuffleBlockFetcher {
    final List<String> log = new ArrayList<>();
    final ShuffleBlockFetcher local;
    final int failingMap;

    LoggingFetcher(ShuffleBlockFetcher local, int failingMap) {
      this.local = local;
      this.failingMap = failingMap;
    }

    @Override
    public InputStream open(MapOutputLocation location, int shuffleId, int mapIndex, int reduceId) {
      throw new AssertionError("the reader requests blocks");
    }

    @Override
    public PendingBlock request(MapOutputLocation location, int shuffleId, int mapIndex, int reduceId) {
      log.add("request " + mapIndex);
      return new PendingBlock() {
        @Override
        public InputStream await() {
          log.add("await " + mapIndex);
          if (mapIndex == failingMap) {
            throw new FetchFailedException(location.executorId(), shuffleId, mapIndex, reduceId, "connection reset", null);
          }
          return local.open(location, shuffleId, mapIndex, reduceId);
        }

        @Override
        public void release() {
          log.add("release " + mapIndex);
        }
      };
    }
  }

  private record Setup(ShuffleDependency<Integer, Long, Long> dep, ExecutorEnv env, MapStatus[] statuses,
      List<Long> expected) {}

  /** MAPS map outputs of one reduce partition: map m writes the values 10m .. 10m+9 under key m. */
  private Setup write(LoggingFetcher[] fetcherHolder, int failingMap, long maxBytesInFlight) {
    LocalDirs dirs = new LocalDirs(tmp.resolve("exec"));
    IndexShuffleBlockResolver resolver = new IndexShuffleBlockResolver(dirs, 1 << 20);
    LoggingFetcher fetcher = new LoggingFetcher(new LocalShuffleBlockFetcher(resolver), failingMap);
    fetcherHolder[0] = fetcher;
    WeftConf conf = new WeftConf(false).set("weft.shuffle.maxBytesInFlight", Long.toString(maxBytesInFlight));
    ExecutorEnv env = new ExecutorEnv("exec-1", "localhost", 0, conf, dirs, resolver, null, 1 << 20, fetcher, null);
    MapOutputLocation here = new MapOutputLocation("exec-1", "localhost", 0);
    ShuffleDependency<Integer, Long, Long> dep = new ShuffleDependency<>(null, 4, new HashPartitioner(1),
        new WeftSerializer(), null, false, null);
    MapStatus[] statuses = new MapStatus[MAPS];
    List<Long> expected = new ArrayList<>();
    for (int m = 0; m < MAPS; m++) {
      List<Pair<Integer, Long>> input = new ArrayList<>();
      for (long v = 10L * m; v < 10L * m + 10; v++) {
        input.add(Pair.of(m, v));
        expected.add(v);
      }
      TaskContext task = new TaskContext(0, 0, m, 0, m, env, Map.of());
      long[] lengths = new SortShuffleWriter().write(dep, m, input.iterator(), task);
      task.markCompleted();
      statuses[m] = MapStatus.of(here, lengths, 2000, 1L << 20);
    }
    return new Setup(dep, env, statuses, expected);
  }

  @Test
  void blocksAreRequestedAheadAndReadInMapOrder() {
    LoggingFetcher[] fetcher = new LoggingFetcher[1];
    // each block is a few dozen bytes: 100 bytes in flight is two or three of them
    Setup s = write(fetcher, -1, 100);
    TaskContext task = new TaskContext(1, 0, 0, 0, 99, s.env(), Map.of(4, ShuffleReads.blocks(4, s.statuses(), new int[] {0})));
    List<Long> values = new ArrayList<>();
    ShuffleReader.read(s.dep(), 0, 1, task).forEachRemaining(p -> values.add(p.value()));
    task.markCompleted();
    assertEquals(s.expected(), values, "every value, in map order");
    List<String> log = fetcher[0].log;
    assertEquals("request 0", log.get(0));
    assertTrue(log.indexOf("request 1") < log.indexOf("await 0"), "map 1 requested before map 0 is read: " + log);
    assertTrue(log.indexOf("request " + (MAPS - 1)) > log.indexOf("await 0"), "but not all at once: " + log);
    assertTrue(log.stream().noneMatch(e -> e.startsWith("release")), log.toString());
  }

  @Test
  void aBlockThatFailsToArriveFailsTheReadNamingItsMapAndReleasesTheRest() {
    LoggingFetcher[] fetcher = new LoggingFetcher[1];
    Setup s = write(fetcher, 2, 1 << 20);
    TaskContext task = new TaskContext(1, 0, 0, 0, 99, s.env(), Map.of(4, ShuffleReads.blocks(4, s.statuses(), new int[] {0})));
    Iterator<Pair<Integer, Long>> it = ShuffleReader.read(s.dep(), 0, 1, task);
    List<Long> values = new ArrayList<>();
    FetchFailedException e = assertThrows(FetchFailedException.class, () -> it.forEachRemaining(p -> values.add(p.value())));
    assertEquals(2, e.mapIndex());
    assertEquals("exec-1", e.executorId());
    assertEquals(s.expected().subList(0, 20), values, "maps 0 and 1 were read before the failure");
    task.markCompleted(); // the task ends (it failed): its completion listeners run
    List<String> log = fetcher[0].log;
    for (int m = 3; m < MAPS; m++) {
      assertTrue(log.contains("release " + m), "map " + m + "'s request is given up: " + log);
    }
  }
}
