package io.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.HashPartitioner;
import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * PageRank for 30 iterations with a local checkpoint every 10: the shuffle files on the executors
 * stay bounded by what the lineage since the last checkpoint needs (without the cut they would
 * grow by one shuffle per iteration), and the result equals plain Java to 1e-9, over the issue's
 * 1,000,000-edge graph. The curve of shuffle files per iteration is printed.
 */
class PageRankBoundsTest {
  private static final int ITERATIONS = 30;
  private static final int CHECKPOINT_EVERY = 10;
  private static final int EDGE_PARTITIONS = 4;
  private static final int PARTITIONS = 4;

  @TempDir
  Path dir;

  /** 20 s in local[2] on the shared 2-core machine (2026-11-30), so it runs with the unit tests. */
  @Test
  @Timeout(300)
  void shuffleFilesStayBoundedAcrossThirtyCheckpointedIterationsOfAMillionEdges() throws Exception {
    run(1_000_000, 100_000);
  }

  private void run(int edgeCount, int vertices) throws Exception {
    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local[2]").setAppName("pagerank-bounds")
        .set("weft.local.dir", dir.resolve("local").toString()))) {
      List<Pair<Long, Long>> edges = PageRank.generate(wc, edgeCount, vertices, EDGE_PARTITIONS, 11).collect();
      PairDataset<Long, long[]> links = PageRank.links(wc.parallelize(edges, EDGE_PARTITIONS), new HashPartitioner(PARTITIONS));
      links.cache();
      PairDataset<Long, Double> ranks = links.mapValues(v -> 1.0);
      // reachable at most: the links' shuffle and one shuffle per iteration since the last cut
      // (each map task writes a data and an index file)
      long bound = 2L * EDGE_PARTITIONS + 2L * PARTITIONS * CHECKPOINT_EVERY;
      List<Long> curve = new ArrayList<>();
      for (int i = 1; i <= ITERATIONS; i++) {
        PairDataset<Long, Double> next = PageRank.step(links, ranks);
        if (i % CHECKPOINT_EVERY == 0) {
          next = next.localCheckpoint();
        } else {
          next.cache().count();
        }
        ranks.unpersist();
        ranks = next;
        curve.add(shuffleFilesWithin(wc, bound, i));
      }
      System.out.printf(Locale.ROOT, "PageRank %d edges, shuffle files after each of %d iterations: %s%n",
          edgeCount, ITERATIONS, curve);
      assertTrue(PageRank.lineageSize(ranks.node()) < 10, "lineage cut at iteration 30: " + PageRank.lineageSize(ranks.node()));
      Map<Long, Double> expected = PageRankTest.plainPageRank(edges, ITERATIONS);
      Map<Long, Double> got = ranks.collectAsMap();
      assertEquals(expected.keySet(), got.keySet());
      expected.forEach((v, r) -> assertEquals(r, got.get(v), 1e-9, "vertex " + v));
    }
  }

  /**
   * The shuffle files on the executor once the context cleaner removed the unreachable shuffles
   * (at most {@code bound}); waits for that removal, a GC at a time, for at most 60 s.
   */
  private static long shuffleFilesWithin(WeftContext wc, long bound, int iteration) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      System.gc();
      long files = shuffleFiles(wc);
      if (files <= bound) {
        return files;
      }
      assertTrue(System.nanoTime() < deadline, "iteration " + iteration + ": " + files
          + " shuffle files stay on the executor, more than the " + bound + " the lineage since the last checkpoint needs");
      Thread.sleep(100); // the event is the cleaner deleting the files, after a driver GC found them unreachable
    }
  }

  private static long shuffleFiles(WeftContext wc) {
    return wc.parallelize(IntStream.range(0, 2).boxed().toList(), 2).map(x -> {
      File[] files = TaskContext.get().env().localDirs().root().resolve("shuffle").toFile().listFiles();
      return Pair.of(TaskContext.get().env().executorId(), files == null ? 0L : (long) files.length);
    }).collect().stream().collect(java.util.stream.Collectors.toMap(Pair::key, Pair::value, Math::max))
        .values().stream().mapToLong(Long::longValue).sum();
  }
}
