package io.weft.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code localCheckpoint()} in local-cluster mode (executors in child JVMs): the lineage is cut
 * (the new dataset has no parents), its partitions are files on the executors' disks that tasks
 * on any executor read, results equal a plain-Java computation through several checkpointed
 * iterations, and the files leave the executors when the program drops the dataset.
 */
@Timeout(180)
class LocalCheckpointTest {
  @TempDir
  Path dir;

  @Test
  void iterationsOverLocalCheckpointsMatchPlainJavaAndTheFilesGoWhenDropped() throws Exception {
    Path local = dir.resolve("local");
    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local-cluster[2,1,256]")
        .setAppName("local-checkpoint").set("weft.local.dir", local.toString())
        .set("weft.executor.registration.timeout", "60s"))) {
      int shuffleId = iterate(wc, local);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (files(local, "shuffle_" + shuffleId + "_") > 0) {
        assertTrue(System.nanoTime() < deadline, "local checkpoint files still there after 60 s of GCs");
        System.gc();
        Thread.sleep(100); // waiting for the collector and the cleaner: the event is the files going
      }
    }
  }

  /** Three rounds of "add the key to every value, then sum by key", checkpointed locally each time. */
  private static int iterate(WeftContext wc, Path local) throws IOException {
    Map<Integer, Long> expected = new TreeMap<>();
    IntStream.range(0, 3000).forEach(i -> expected.merge(i % 17, (long) i, Long::sum));
    PairDataset<Integer, Long> state = wc.parallelize(IntStream.range(0, 3000).boxed().toList(), 6)
        .mapToPair(i -> Pair.of(i % 17, (long) i)).reduceByKey(Long::sum, 4);
    LocalCheckpointNode<?> last = null;
    for (int round = 0; round < 3; round++) {
      state = state.mapValues(v -> v + 1).reduceByKey(Long::sum, 4).localCheckpoint();
      expected.replaceAll((k, v) -> v + 1);
      last = (LocalCheckpointNode<?>) state.node();
      assertTrue(last.dependencies().isEmpty(), "lineage cut at round " + round);
      assertEquals(4, files(local, "shuffle_" + last.shuffleId() + "_") / 2, "one data and index file per partition");
      assertEquals(expected, new TreeMap<>(state.collectAsMap()), "round " + round);
    }
    // a shuffle over the checkpoint reads it from whichever executor holds each partition
    assertEquals(expected.values().stream().mapToLong(Long::longValue).sum(),
        state.mapToPair(p -> Pair.of(0, p.value())).reduceByKey(Long::sum, 1).values().reduce(Long::sum));
    return last.shuffleId();
  }

  private static int files(Path root, String prefix) throws IOException {
    if (!Files.exists(root)) {
      return 0;
    }
    while (true) { // walks again when a file vanished mid-walk (the cleaner deletes while we count)
      try (Stream<Path> all = Files.walk(root)) {
        return (int) all.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().startsWith(prefix)).count();
      } catch (java.io.UncheckedIOException e) {
        if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) {
          throw e;
        }
      }
    }
  }
}
