package io.weft.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.HashPartitioner;
import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.plan.Dependency;
import io.weft.plan.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reliable checkpoints: an iterative PageRank that checkpoints every 10 iterations gives the
 * plain-Java ranks and keeps its lineage flat while the same loop without checkpoints grows it
 * (in executor JVMs too, where the records cross the serializer and the file system); a
 * checkpoint keeps the partitioner and null records; its files go when the context closes; a
 * missing file or directory is named.
 */
@Timeout(240)
class CheckpointTest {
  private static final int VERTICES = 300;
  private static final int ITERATIONS = 30;

  @TempDir
  Path dir;

  private WeftContext context(String master) {
    return WeftContext.create(new WeftConf(false).setMaster(master).setAppName("checkpoint-test")
        .set("weft.local.dir", dir.resolve("local").toString())
        .set("weft.executor.registration.timeout", "60s"));
  }

  /** Each vertex links to 1 to 5 others, seeded. */
  private static Map<Integer, List<Integer>> graph() {
    Random r = new Random(7);
    Map<Integer, List<Integer>> links = new HashMap<>();
    for (int v = 0; v < VERTICES; v++) {
      List<Integer> out = new ArrayList<>();
      for (int i = 1 + r.nextInt(5); i > 0; i--) {
        out.add(r.nextInt(VERTICES));
      }
      links.put(v, out);
    }
    return links;
  }

  /** The same PageRank in plain Java: ranks only for vertices some link points to, as the job's. */
  private static Map<Integer, Double> plainPageRank(Map<Integer, List<Integer>> links) {
    Map<Integer, Double> ranks = new HashMap<>();
    links.keySet().forEach(v -> ranks.put(v, 1.0));
    for (int i = 0; i < ITERATIONS; i++) {
      Map<Integer, Double> sums = new HashMap<>();
      for (Map.Entry<Integer, Double> rank : ranks.entrySet()) {
        List<Integer> out = links.get(rank.getKey());
        for (int dst : out) {
          sums.merge(dst, rank.getValue() / out.size(), Double::sum);
        }
      }
      ranks.clear();
      sums.forEach((v, s) -> ranks.put(v, 0.15 + 0.85 * s));
    }
    return ranks;
  }

  private record Outcome(Map<Integer, Double> ranks, int lineageAt19, int lineageAt29) {}

  private static Outcome pageRank(WeftContext wc, Map<Integer, List<Integer>> graph, boolean checkpoint) {
    List<Pair<Integer, List<Integer>>> adjacency = new ArrayList<>();
    graph.forEach((v, out) -> adjacency.add(Pair.of(v, out)));
    PairDataset<Integer, List<Integer>> links =
        wc.parallelizePairs(adjacency, 4).partitionBy(new HashPartitioner(4)).cache();
    PairDataset<Integer, Double> ranks = links.mapValues(out -> 1.0);
    int at19 = 0;
    int at29 = 0;
    for (int i = 1; i <= ITERATIONS; i++) {
      ranks = links.join(ranks).flatMap(e -> {
        List<Integer> out = e.value().key();
        double share = e.value().value() / out.size();
        return out.stream().map(dst -> Pair.of(dst, share)).iterator();
      }).mapToPair(p -> p).reduceByKey(Double::sum, 4).mapValues(s -> 0.15 + 0.85 * s);
      if (checkpoint && i % 10 == 0) {
        ranks = ranks.checkpoint();
      }
      if (i == 19) {
        at19 = lineageSize(ranks.node());
      } else if (i == 29) {
        at29 = lineageSize(ranks.node());
      }
    }
    return new Outcome(ranks.collectAsMap(), at19, at29);
  }

  private static int lineageSize(Node<?> node) {
    Set<Integer> seen = new HashSet<>();
    Deque<Node<?>> toVisit = new ArrayDeque<>(List.of(node));
    while (!toVisit.isEmpty()) {
      Node<?> n = toVisit.pop();
      if (seen.add(n.id())) {
        for (Dependency d : n.dependencies()) {
          toVisit.push(d.parent());
        }
      }
    }
    return seen.size();
  }

  @ParameterizedTest
  @ValueSource(strings = {"local[2]", "local-cluster[2,1,384]"})
  void checkpointedPageRankMatchesPlainJavaAndKeepsItsLineageFlat(String master) {
    Map<Integer, List<Integer>> graph = graph();
    Map<Integer, Double> expected = plainPageRank(graph);
    try (WeftContext wc = context(master)) {
      wc.setCheckpointDir(dir.resolve("checkpoints").toString());
      Outcome checkpointed = pageRank(wc, graph, true);
      Outcome plain = pageRank(wc, graph, false);

      for (Outcome o : List.of(checkpointed, plain)) {
        assertEquals(expected.keySet(), o.ranks().keySet());
        expected.forEach((v, rank) -> assertEquals(rank, o.ranks().get(v), 1e-9, "rank of " + v));
      }
      assertEquals(checkpointed.lineageAt19(), checkpointed.lineageAt29(),
          "a loop that checkpoints every 10 iterations keeps its lineage flat");
      assertTrue(plain.lineageAt29() > plain.lineageAt19() + 40, "without checkpoints the lineage grows: "
          + plain.lineageAt19() + " nodes at 19, " + plain.lineageAt29() + " at 29");
      assertTrue(checkpointed.lineageAt29() * 2 < plain.lineageAt29(),
          checkpointed.lineageAt29() + " nodes with checkpoints, " + plain.lineageAt29() + " without");
    }
  }

  @Test
  void keepsThePartitionerAndNullRecordsAndItsFilesGoWithTheContext() throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    try (WeftContext wc = context("local[2]")) {
      wc.setCheckpointDir(checkpoints.toString());
      PairDataset<String, Integer> counts = wc.parallelize(Arrays.asList("a", "b", "a", "c"), 2)
          .mapToPair(w -> Pair.of(w, 1)).reduceByKey(Integer::sum, 3);
      PairDataset<String, Integer> saved = counts.checkpoint();
      assertEquals(counts.node().partitioner(), saved.node().partitioner());
      assertEquals(Map.of("a", 2, "b", 1, "c", 1), saved.collectAsMap());

      List<String> withNulls = Arrays.asList("x", null, "y", null);
      assertEquals(withNulls, wc.parallelize(withNulls, 2).checkpoint().collect());
      try (Stream<Path> files = Files.walk(checkpoints)) {
        assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("part-")), "checkpoint files written");
      }
    }
    try (Stream<Path> files = Files.list(checkpoints)) {
      assertEquals(0, files.count(), "the application's checkpoint directory is removed on close");
    }
  }

  @Test
  void noDirectoryOrAMissingFileIsNamed() throws Exception {
    try (WeftContext wc = context("local[2]")) {
      IllegalStateException noDir = assertThrows(IllegalStateException.class,
          () -> wc.parallelize(List.of(1, 2, 3), 2).checkpoint());
      assertTrue(noDir.getMessage().contains("setCheckpointDir"), noDir.getMessage());

      wc.setCheckpointDir(dir.resolve("checkpoints").toString());
      var saved = wc.parallelize(List.of(1, 2, 3, 4), 2).checkpoint();
      Path part;
      try (Stream<Path> files = Files.walk(dir.resolve("checkpoints"))) {
        part = files.filter(f -> f.getFileName().toString().equals("part-00001")).findFirst().orElseThrow();
      }
      Files.delete(part);
      IllegalStateException missing = assertThrows(IllegalStateException.class, saved::count);
      assertTrue(missing.getMessage().contains("part-00001"), missing.getMessage());
      assertFalse(missing.getMessage().isBlank());
    }
  }
}
