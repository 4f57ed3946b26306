package io.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.HashPartitioner;
import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PageRank in local-cluster mode (executors in child JVMs) equals a plain-Java PageRank of the
 * same edges to 1e-9, without checkpoints and with local or reliable checkpoints cutting the
 * lineage every third iteration (which then stays bounded).
 */
@Timeout(240)
class PageRankTest {
  private static final int ITERATIONS = 8;

  @TempDir
  Path dir;

  @ParameterizedTest
  @CsvSource({"0, false", "3, false", "3, true"})
  void matchesPlainJava(int checkpointEvery, boolean reliable) {
    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local-cluster[2,1,512]")
        .setAppName("pagerank-test").set("weft.executor.registration.timeout", "60s"))) {
      if (reliable) {
        wc.setCheckpointDir(dir.resolve("checkpoints").toString());
      }
      List<Pair<Long, Long>> edges = PageRank.generate(wc, 3000, 400, 4, 7).collect();
      assertEquals(3000, edges.size());
      PairDataset<Long, Double> ranks = PageRank.run(
          PageRank.links(wc.parallelize(edges, 3), new HashPartitioner(4)), ITERATIONS, checkpointEvery, reliable, false);
      Map<Long, Double> expected = plainPageRank(edges, ITERATIONS);
      Map<Long, Double> got = ranks.collectAsMap();
      assertEquals(expected.keySet(), got.keySet());
      expected.forEach((v, r) -> assertEquals(r, got.get(v), 1e-9, "vertex " + v));
      if (checkpointEvery > 0) {
        // cut at iteration 6: two more iterations of join, flatMap, reduce, mapValues on top
        assertTrue(PageRank.lineageSize(ranks.node()) < 20, "lineage " + PageRank.lineageSize(ranks.node()));
      }
    }
  }

  /** The same algorithm in plain Java: sources start at 1.0; vertices without in-links drop out. */
  static Map<Long, Double> plainPageRank(List<Pair<Long, Long>> edges, int iterations) {
    Map<Long, List<Long>> links = new HashMap<>();
    for (Pair<Long, Long> e : edges) {
      links.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.value());
    }
    Map<Long, Double> ranks = new HashMap<>();
    links.keySet().forEach(v -> ranks.put(v, 1.0));
    for (int i = 0; i < iterations; i++) {
      Map<Long, Double> sums = new HashMap<>();
      for (Map.Entry<Long, List<Long>> l : links.entrySet()) {
        Double rank = ranks.get(l.getKey());
        if (rank != null) {
          for (long d : l.getValue()) {
            sums.merge(d, rank / l.getValue().size(), Double::sum);
          }
        }
      }
      ranks.clear();
      sums.forEach((v, s) -> ranks.put(v, 0.15 + 0.85 * s));
    }
    return ranks;
  }
}
