package io.weft.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Dataset;
import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.StorageLevel;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the program drops is removed from every executor: after the last dataset reading a
 * shuffle and a disk-persisted dataset become garbage, their shuffle files and cached blocks
 * disappear from the executors' directories (executor JVMs too), while a shuffle the program
 * still holds keeps its files and is reused without recomputation.
 */
@Timeout(180)
class ContextCleanerTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"local[2]", "local-cluster[2,1,256]"})
  void droppedShufflesAndPersistedDatasetsLeaveTheExecutors(String master) throws Exception {
    Path local = dir.resolve("local");
    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster(master).setAppName("cleaner-test")
        .set("weft.local.dir", local.toString()).set("weft.executor.registration.timeout", "60s"))) {
      PairDataset<Integer, Long> kept = counts(wc, 7);
      assertEquals(7, kept.count());
      int keptFiles = files(local, "shuffle_");

      runAndDropAShuffleAndADiskCache(wc);
      assertTrue(files(local, "shuffle_") > keptFiles, "the dropped shuffle wrote files");
      assertTrue(blockFiles(local) > 0, "the dropped dataset was cached on disk");

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (files(local, "shuffle_") > keptFiles || blockFiles(local) > 0) {
        assertTrue(System.nanoTime() < deadline, "still on disk after 60 s of GCs: " + files(local, "shuffle_")
            + " shuffle files (" + keptFiles + " kept), " + blockFiles(local) + " cached blocks");
        System.gc();
        Thread.sleep(100); // waiting for the collector and the cleaner: the event is the files going
      }
      assertEquals(keptFiles, files(local, "shuffle_"), "the held shuffle keeps its files");
      assertEquals(7, kept.collectAsMap().size(), "the held dataset still reads its shuffle");
      assertEquals(IntStream.range(0, 1000).sum(), wc.parallelize(IntStream.range(0, 1000).boxed().toList(), 4)
          .reduce(Integer::sum), "the next job runs");
    }
  }

  /** No polling: when {@code unpersist(true)} returns, every executor has deleted its blocks. */
  @org.junit.jupiter.api.Test
  void blockingUnpersistReturnsOnceEveryExecutorDroppedItsBlocks() throws Exception {
    Path local = dir.resolve("local");
    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local-cluster[2,1,256]")
        .setAppName("unpersist-test").set("weft.local.dir", local.toString())
        .set("weft.executor.registration.timeout", "60s"))) {
      Dataset<Integer> onDisk = wc.parallelize(IntStream.range(0, 4000).boxed().toList(), 8).map(i -> i * 2)
          .persist(StorageLevel.DISK_ONLY);
      assertEquals(IntStream.range(0, 4000).map(i -> i * 2).sum(), onDisk.reduce(Integer::sum));
      assertEquals(8, blockFiles(local), "one block file per partition, on the executors' disks");
      onDisk.unpersist(true);
      assertEquals(0, blockFiles(local), "unpersist(true) returned before every block was deleted");
      assertEquals(IntStream.range(0, 4000).map(i -> i * 2).sum(), onDisk.reduce(Integer::sum), "recomputed");
      assertEquals(0, blockFiles(local), "no longer persisted");
    }
  }

  private static PairDataset<Integer, Long> counts(WeftContext wc, int keys) {
    return wc.parallelize(IntStream.range(0, 5000).boxed().toList(), 4)
        .mapToPair(i -> Pair.of(i % keys, 1L)).reduceByKey(Long::sum, 3);
  }

  /** In its own frame, so nothing on the test's stack keeps the datasets reachable. */
  private static void runAndDropAShuffleAndADiskCache(WeftContext wc) {
    assertEquals(11, counts(wc, 11).count());
    Dataset<String> onDisk = wc.parallelize(List.of("a", "b", "c", "d"), 2).map(s -> s + "!")
        .persist(StorageLevel.DISK_ONLY);
    assertEquals(4, onDisk.count());
  }

  /** Files under {@code root} whose name starts with {@code prefix} (shuffle data and index files). */
  private static int files(Path root, String prefix) throws IOException {
    if (!Files.exists(root)) {
      return 0;
    }
    return count(root, f -> f.getFileName().toString().startsWith(prefix));
  }

  /**
   * Regular files under {@code root} matching {@code filter}; walks again when a file vanished
   * mid-walk (the cleaner deletes while the test counts).
   */
  private static int count(Path root, java.util.function.Predicate<Path> filter) throws IOException {
    while (true) {
      try (Stream<Path> all = Files.walk(root)) {
        return (int) all.filter(Files::isRegularFile).filter(filter).count();
      } catch (java.io.UncheckedIOException e) {
        if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) {
          throw e;
        }
      }
    }
  }

  /** Regular files in any {@code blocks} directory (cached partitions on disk). */
  private static int blockFiles(Path root) throws IOException {
    if (!Files.exists(root)) {
      return 0;
    }
    return count(root, f -> f.getParent() != null && f.getParent().getFileName().toString().equals("blocks"));
  }
}
