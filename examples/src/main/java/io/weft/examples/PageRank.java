package io.weft.examples;

import io.weft.Dataset;
import io.weft.HashPartitioner;
import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.Partitioner;
import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.plan.Dependency;
import io.weft.plan.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * PageRank, the iterative workload: the links (each vertex's out-neighbours) are grouped once and
 * cached, and each iteration joins them with the current ranks (a narrow join: both sides use the
 * same partitioner), spreads each rank over the out-links and sums the contributions:
 * {@code rank = 0.15 + 0.85 * sum}. Vertices without in-links drop out, as in Spark's example.
 * Each iteration is one job, timed and printed with the lineage size; with
 * {@code --checkpoint-every K} every K-th iteration cuts the lineage ({@code localCheckpoint()},
 * or {@code checkpoint()} under {@code --checkpoint-dir}), so shuffles of earlier iterations
 * become unreachable and the context cleaner removes them. {@code --metrics FILE} measures what
 * the application holds after each iteration ({@link LoopMetrics}), prints the curves and writes
 * them to FILE (HDFS too) as tab-separated values.
 *
 * <pre>bin/weft submit --class io.weft.examples.PageRank examples.jar [--iterations 10]
 *     [--checkpoint-every 5] [--checkpoint-dir DIR] [--metrics FILE] [--partitions 8]
 *     (--generate EDGES VERTICES | EDGE_FILE) [OUTPUT]</pre>
 *
 * An edge file has one {@code src dst} pair of numbers per line; {@code --generate} makes a
 * graph of EDGES random edges (destinations skewed towards low ids) inside the job.
 */
public final class PageRank {
  private PageRank() {}

  /** The parsed command line. */
  record Options(int iterations, int checkpointEvery, String checkpointDir, int partitions, long edges,
      long vertices, String input, String output, String metrics) {}

  public static void main(String[] args) {
    Options o = parse(args);
    try (WeftContext wc = WeftContext.create(new WeftConf().setIfMissing("weft.app.name", "pagerank"))) {
      if (o.checkpointDir() != null) {
        wc.setCheckpointDir(o.checkpointDir());
      }
      int partitions = o.partitions() > 0 ? o.partitions() : wc.defaultParallelism();
      PairDataset<Long, long[]> links = links(edges(wc, o, partitions), new HashPartitioner(partitions));
      PairDataset<Long, Double> ranks = o.metrics() == null
          ? run(links, o.iterations(), o.checkpointEvery(), o.checkpointDir() != null, true)
          : runMeasured(wc, links, o);
      if (o.output() != null) {
        ranks.mapValues(r -> Double.toString(r)).saveAsTextFile(o.output()); // exact: read back, it is the same double
      } else {
        ranks.mapToPair(p -> Pair.of(p.value(), p.key())).sortByKey(false, 1).take(5)
            .forEach(p -> System.out.printf(Locale.ROOT, "vertex %d: %.6f%n", p.value(), p.key()));
      }
      printMemory(wc);
    }
  }

  /**
   * The loop with {@link LoopMetrics} sampled after each iteration (the program holds the links
   * and the ranks); prints the curves and writes the samples to {@code o.metrics()}.
   */
  private static PairDataset<Long, Double> runMeasured(WeftContext wc, PairDataset<Long, long[]> links, Options o) {
    try (LoopMetrics metrics = new LoopMetrics(wc)) {
      PairDataset<Long, Double> ranks = run(links, o.iterations(), o.checkpointEvery(), o.checkpointDir() != null,
          false, (i, l, r) -> System.out.println(metrics.sample(i, l.node(), r.node())));
      System.out.print(metrics.curves());
      metrics.writeTsv(o.metrics());
      return ranks;
    }
  }

  private static Dataset<Pair<Long, Long>> edges(WeftContext wc, Options o, int partitions) {
    return o.input() != null ? readEdges(wc, o.input(), partitions) : generate(wc, o.edges(), o.vertices(), partitions, 42);
  }

  /** {@code src dst} lines. */
  public static Dataset<Pair<Long, Long>> readEdges(WeftContext wc, String path, int partitions) {
    return wc.textFile(path, partitions).filter(l -> !l.isBlank()).map(l -> {
      String[] f = l.trim().split("\\s+");
      return Pair.of(Long.parseLong(f[0]), Long.parseLong(f[1]));
    });
  }

  /** {@code edges} random edges over {@code vertices} vertices, the same for the same seed. */
  public static Dataset<Pair<Long, Long>> generate(WeftContext wc, long edges, long vertices, int partitions, long seed) {
    return wc.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions)
        .flatMap(p -> generatePartition(p, edges, vertices, partitions, seed).iterator());
  }

  /** Partition {@code p} of {@link #generate}'s edges, in plain Java (tests build the same graph). */
  public static List<Pair<Long, Long>> generatePartition(int p, long edges, long vertices, int partitions, long seed) {
    Random random = new Random(seed * 31 + p);
    long n = edges / partitions + (p < edges % partitions ? 1 : 0);
    List<Pair<Long, Long>> out = new ArrayList<>((int) n);
    for (long i = 0; i < n; i++) {
      double r = random.nextDouble();
      out.add(Pair.of((long) random.nextInt((int) vertices), (long) (vertices * r * r)));
    }
    return out;
  }

  /** Each source's out-neighbours, partitioned by {@code partitioner} (so the joins are narrow). */
  public static PairDataset<Long, long[]> links(Dataset<Pair<Long, Long>> edges, Partitioner partitioner) {
    return new PairDataset<>(edges.node()).groupByKey(partitioner).mapValues(dsts -> {
      List<Long> all = new ArrayList<>();
      dsts.forEach(all::add);
      return all.stream().mapToLong(Long::longValue).toArray();
    });
  }

  /** One iteration: the ranks after spreading {@code ranks} over {@code links}. */
  public static PairDataset<Long, Double> step(PairDataset<Long, long[]> links, PairDataset<Long, Double> ranks) {
    Partitioner partitioner = links.node().partitioner();
    Dataset<Pair<Long, Double>> contributions = links.join(ranks).values().flatMap(lr -> {
      long[] dsts = lr.key();
      List<Pair<Long, Double>> out = new ArrayList<>(dsts.length);
      for (long d : dsts) {
        out.add(Pair.of(d, lr.value() / dsts.length));
      }
      return out.iterator();
    });
    return new PairDataset<>(contributions.node()).reduceByKey(Double::sum, partitioner).mapValues(s -> 0.15 + 0.85 * s);
  }

  /**
   * Runs {@code iterations} iterations from rank 1.0 for every source, caching the links and
   * each iteration's ranks (dropping the previous ones), cutting the lineage every
   * {@code checkpointEvery} iterations (0: never), reliably if {@code reliable}.
   */
  public static PairDataset<Long, Double> run(PairDataset<Long, long[]> links, int iterations, int checkpointEvery,
      boolean reliable, boolean print) {
    return run(links, iterations, checkpointEvery, reliable, print, null);
  }

  /** What a program does after each iteration, holding {@code links} and {@code ranks} only. */
  public interface AfterIteration {
    void after(int iteration, PairDataset<Long, long[]> links, PairDataset<Long, Double> ranks);
  }

  /** As {@link #run(PairDataset, int, int, boolean, boolean)}, calling {@code after} (when not null) after each iteration. */
  public static PairDataset<Long, Double> run(PairDataset<Long, long[]> links, int iterations, int checkpointEvery,
      boolean reliable, boolean print, AfterIteration after) {
    links.cache();
    PairDataset<Long, Double> ranks = links.mapValues(v -> 1.0);
    for (int i = 1; i <= iterations; i++) {
      long start = System.nanoTime();
      PairDataset<Long, Double> next = step(links, ranks);
      if (checkpointEvery > 0 && i % checkpointEvery == 0) {
        next = reliable ? next.checkpoint() : next.localCheckpoint();
      } else {
        next.cache().count();
      }
      ranks.unpersist();
      ranks = next;
      if (print) {
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "iteration %d: %.3f s, lineage %d nodes, %s%n", i, seconds,
            lineageSize(ranks.node()), shuffleFiles(links.context()));
      }
      if (after != null) {
        after.after(i, links, ranks);
      }
    }
    return ranks;
  }

  /** Nodes in {@code node}'s lineage, itself included. */
  public static int lineageSize(Node<?> node) {
    Set<Integer> seen = new HashSet<>();
    Deque<Node<?>> todo = new ArrayDeque<>(List.of(node));
    while (!todo.isEmpty()) {
      Node<?> n = todo.pop();
      if (seen.add(n.id())) {
        for (Dependency d : n.dependencies()) {
          todo.push(d.parent());
        }
      }
    }
    return seen.size();
  }

  /**
   * The shuffle files on the executors, as tasks find them (a GC first, so the context cleaner
   * has had its chance): what an iterative program leaves behind.
   */
  static String shuffleFiles(WeftContext wc) {
    System.gc();
    int n = wc.defaultParallelism() * 4;
    java.util.Map<String, long[]> perExecutor = new java.util.TreeMap<>();
    wc.parallelize(IntStream.range(0, n).boxed().toList(), n).map(i -> {
      java.io.File[] files = TaskContext.get().env().localDirs().root().resolve("shuffle").toFile().listFiles();
      long bytes = 0;
      for (java.io.File f : files == null ? new java.io.File[0] : files) {
        bytes += f.length();
      }
      return Pair.of(TaskContext.get().env().executorId(), new long[] {files == null ? 0 : files.length, bytes});
    }).collect().forEach(p -> perExecutor.put(p.key(), p.value()));
    long files = perExecutor.values().stream().mapToLong(v -> v[0]).sum();
    long bytes = perExecutor.values().stream().mapToLong(v -> v[1]).sum();
    return String.format(Locale.ROOT, "%d shuffle files (%.1f MiB) on %d executors", files, bytes / 1048576.0,
        perExecutor.size());
  }

  /** Heap used after a GC on the driver and on each executor (as tasks find it). */
  private static void printMemory(WeftContext wc) {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    System.out.printf(Locale.ROOT, "driver heap used after GC: %.1f MiB%n", (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
    int n = wc.defaultParallelism() * 4;
    wc.parallelize(IntStream.range(0, n).boxed().toList(), n).map(i -> {
      System.gc();
      Runtime r = Runtime.getRuntime();
      return Pair.of(TaskContext.get().env().executorId(), (r.totalMemory() - r.freeMemory()) / 1048576.0);
    }).collect().stream().collect(java.util.stream.Collectors.toMap(Pair::key, Pair::value, Math::min,
        java.util.TreeMap::new)).forEach((e, mib) -> System.out.printf(Locale.ROOT,
            "executor %s heap used after GC: %.1f MiB%n", e, mib));
  }

  static Options parse(String[] args) {
    int iterations = 10;
    int every = 0;
    String dir = null;
    String metrics = null;
    int partitions = 0;
    long edges = 0;
    long vertices = 0;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--iterations" -> iterations = Integer.parseInt(args[++i]);
        case "--checkpoint-every" -> every = Integer.parseInt(args[++i]);
        case "--checkpoint-dir" -> dir = args[++i];
        case "--metrics" -> metrics = args[++i];
        case "--partitions" -> partitions = Integer.parseInt(args[++i]);
        case "--generate" -> {
          edges = Long.parseLong(args[++i]);
          vertices = Long.parseLong(args[++i]);
        }
        default -> rest.add(args[i]);
      }
    }
    boolean generated = edges > 0;
    if (rest.size() > (generated ? 1 : 2) || (!generated && rest.isEmpty())) {
      throw new IllegalArgumentException("Usage: PageRank [--iterations N] [--checkpoint-every K] [--checkpoint-dir DIR] "
          + "[--metrics FILE] [--partitions P] (--generate EDGES VERTICES | EDGE_FILE) [OUTPUT]");
    }
    String input = generated ? null : rest.get(0);
    String output = rest.size() > (generated ? 0 : 1) ? rest.get(rest.size() - 1) : null;
    return new Options(iterations, every, dir, partitions, edges, vertices, input, output, metrics);
  }
}
