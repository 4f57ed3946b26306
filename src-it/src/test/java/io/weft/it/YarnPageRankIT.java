package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.examples.LoopMetrics;
import io.weft.examples.PageRank;
import io.weft.it.yarn.WeftOnYarn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10's iterative test on the embedded YARN: the PageRank example, submitted as a user would,
 * runs 30 iterations over 1,000,000 generated edges with a reliable {@code checkpoint()} every 10
 * into an HDFS directory, the driver in the ApplicationMaster and two executor containers. With
 * {@code --metrics} the application measures itself after every iteration ({@link LoopMetrics}:
 * map outputs and shuffles registered on the driver, shuffle files counted by tasks on each
 * executor's disks, checkpoint directories on HDFS, the driver's heap after GC, the largest task
 * binary) and writes the curves to HDFS; the test asserts them within what the lineage since the
 * last checkpoint can need, and the ranks equal a plain-Java PageRank of the same graph to 1e-9.
 * Without checkpoints (on a smaller graph) every iteration's shuffle stays registered and on the
 * executors' disks: the growth the checkpoints remove.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class YarnPageRankIT {
  private static final int EDGES = 1_000_000;
  private static final int VERTICES = 100_000;
  private static final int ITERATIONS = 30;
  private static final int CHECKPOINT_EVERY = 10;
  /** The graph's and the ranks' partitions (the example uses one count for both). */
  private static final int PARTITIONS = 4;
  /** The links' shuffle and one per iteration since the last cut (CHECKPOINT_EVERY - 1 at most). */
  private static final long MAP_OUTPUTS = PARTITIONS + (long) PARTITIONS * (CHECKPOINT_EVERY - 1);
  private static final LoopMetrics.Bounds BOUNDS = new LoopMetrics.Bounds(CHECKPOINT_EVERY, MAP_OUTPUTS,
      2 * MAP_OUTPUTS, 1, 128L << 20, CHECKPOINT_EVERY, 256);

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(2).build();

  @Test
  void thirtyCheckpointedIterationsOverAMillionEdgesStayBoundedAndEqualPlainJava() throws Exception {
    List<LoopMetrics.Sample> samples = runPageRank("checkpointed", EDGES, VERTICES, CHECKPOINT_EVERY);
    assertEquals(List.of(), LoopMetrics.exceeding(samples, BOUNDS));
    for (LoopMetrics.Sample s : samples) {
      if (s.iteration() % CHECKPOINT_EVERY == 0) {
        // right after a cut: the links' shuffle, and one checkpoint on HDFS (the previous one deleted)
        assertEquals(PARTITIONS, s.mapOutputs(), s.toString());
        assertEquals(2 * PARTITIONS, s.shuffleFiles(), "files on both executors: " + s);
        assertEquals(1, s.checkpointDirs(), s.toString());
      }
    }
    assertEquals(2 * MAP_OUTPUTS, samples.get(CHECKPOINT_EVERY - 2).shuffleFiles(),
        "before the first cut every iteration's shuffle is on the executors' disks");
    FileSystem fs = CLUSTER.fileSystem();
    assertEquals(0, fs.listStatus(new Path("/checkpoints")).length,
        "the application's checkpoint directory is deleted when its context closes");
  }

  /** The growth the checkpoints remove (a smaller graph: the lineage grows the same whatever its size). */
  @Test
  void withoutCheckpointsEveryIterationsShuffleStaysRegisteredAndOnDisk() throws Exception {
    List<LoopMetrics.Sample> samples = runPageRank("uncut", 20_000, 2_000, 0);
    for (LoopMetrics.Sample s : samples) {
      assertEquals(PARTITIONS + (long) PARTITIONS * s.iteration(), s.mapOutputs(), s.toString());
      assertEquals(2 * s.mapOutputs(), s.shuffleFiles(), "files on both executors: " + s);
    }
    List<String> exceeding = LoopMetrics.exceeding(samples, BOUNDS);
    assertTrue(exceeding.stream().anyMatch(e -> e.contains("map outputs")), exceeding.toString());
    assertTrue(exceeding.stream().anyMatch(e -> e.contains("shuffle files")), exceeding.toString());
  }

  /**
   * Submits the example (checkpointing every {@code every} iterations to HDFS, 0: never), checks
   * its ranks against plain Java and returns the metrics it wrote.
   */
  private static List<LoopMetrics.Sample> runPageRank(String name, int edges, int vertices, int every)
      throws Exception {
    FileSystem fs = CLUSTER.fileSystem();
    Path metricsFile = new Path("/" + name + "/metrics.tsv");
    Path ranksDir = new Path("/" + name + "/ranks");
    List<String> args = new ArrayList<>(List.of("--generate", String.valueOf(edges), String.valueOf(vertices),
        "--iterations", String.valueOf(ITERATIONS), "--partitions", String.valueOf(PARTITIONS),
        "--metrics", fs.makeQualified(metricsFile).toString()));
    if (every > 0) {
      args.addAll(List.of("--checkpoint-every", String.valueOf(every), "--checkpoint-dir",
          fs.makeQualified(new Path("/checkpoints")).toString()));
    }
    args.add(fs.makeQualified(ranksDir).toString());
    long start = System.nanoTime();
    WeftOnYarn.Run run = WeftOnYarn.run(CLUSTER, PageRank.class.getName(), WeftOnYarn.examplesJar(), args,
        WeftOnYarn.settings("yarn-pagerank-" + name, 2));
    try {
      assertEquals(0, run.exitCode(), run.output());
      assertEquals(FinalApplicationStatus.SUCCEEDED,
          WeftOnYarn.report(CLUSTER, run.appId()).getFinalApplicationStatus());
      List<LoopMetrics.Sample> samples = LoopMetrics.parseTsv(Reference.lines(fs, metricsFile));
      System.out.printf(Locale.ROOT, "PageRank on YARN (2 executors), %d edges, %d iterations, %s, %.1f s with "
          + "the submission:%n%s", edges, ITERATIONS, every > 0 ? "checkpoint() every " + every + " to HDFS"
          : "no checkpoint", (System.nanoTime() - start) / 1e9, LoopMetrics.curves(samples));
      assertEquals(ITERATIONS, samples.size());

      Map<Long, Double> expected = plainPageRank(plainEdges(edges, vertices));
      Map<Long, Double> got = new HashMap<>();
      Reference.forEachLine(fs, ranksDir, line -> {
        int tab = line.indexOf('\t');
        Double before = got.put(Long.parseLong(line.substring(0, tab)), Double.parseDouble(line.substring(tab + 1)));
        assertEquals(null, before, "a vertex once: " + line);
      });
      assertEquals(expected.keySet(), got.keySet());
      expected.forEach((v, r) -> assertEquals(r, got.get(v), 1e-9, "vertex " + v));
      assertTrue(WeftOnYarn.noExecutorJvmLeft(), "executor JVMs outlived the application");
      return samples;
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(run.appId().toString(), System.err);
      throw e;
    }
  }

  /** The graph the example generates (seed 42, one generator per partition), in plain Java. */
  private static List<Pair<Long, Long>> plainEdges(int count, int vertices) {
    List<Pair<Long, Long>> edges = new ArrayList<>(count);
    for (int p = 0; p < PARTITIONS; p++) {
      edges.addAll(PageRank.generatePartition(p, count, vertices, PARTITIONS, 42));
    }
    return edges;
  }

  /** PageRank in plain Java: sources start at 1.0; vertices without in-links drop out. */
  private static Map<Long, Double> plainPageRank(List<Pair<Long, Long>> edges) {
    Map<Long, List<Long>> links = new HashMap<>();
    for (Pair<Long, Long> e : edges) {
      links.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.value());
    }
    Map<Long, Double> ranks = new HashMap<>();
    links.keySet().forEach(v -> ranks.put(v, 1.0));
    for (int i = 0; i < ITERATIONS; i++) {
      Map<Long, Double> sums = new HashMap<>();
      links.forEach((src, dsts) -> {
        Double rank = ranks.get(src);
        if (rank != null) {
          dsts.forEach(d -> sums.merge(d, rank / dsts.size(), Double::sum));
        }
      });
      ranks.clear();
      sums.forEach((v, s) -> ranks.put(v, 0.15 + 0.85 * s));
    }
    return ranks;
  }
}
