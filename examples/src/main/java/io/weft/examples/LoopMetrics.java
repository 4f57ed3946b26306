package io.weft.examples;

import io.weft.Pair;
import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.io.CheckpointNode;
import io.weft.io.LocalCheckpointNode;
import io.weft.plan.Dependency;
import io.weft.plan.Node;
import io.weft.plan.ShuffleDependency;
import io.weft.status.ListenerEvent;
import io.weft.status.StatusTracker;
import io.weft.status.WeftListener;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What an iterative program leaves held, measured after each iteration: the first thing to look at
 * before trusting a loop to run for hours. For the datasets the program holds it counts what their
 * lineage can still need (its nodes, the shuffles in it and their map tasks, the checkpoints it
 * starts from), and next to it what the application actually holds: the shuffles and map-output
 * registrations on the driver ({@link StatusTracker}), the shuffle files on the executors' disks
 * (counted by tasks), the checkpoint directories, the driver's heap after a GC, and the largest
 * task binary of the stages submitted during the iteration ({@link
 * ListenerEvent.StageSubmitted#taskBinaryBytes()}).
 *
 * <p>What the program dropped is removed by the context cleaner after a driver GC finds it
 * unreachable, asynchronously; a sample waits (a GC at a time, at most {@link #CLEANER_WAIT_MS})
 * until the held numbers are no more than the lineage can need, and records them as they are then:
 * numbers above the reachable ones after the wait are a leak the caller's bounds catch (and later
 * samples no longer wait).
 *
 * <p>Threading: one program thread samples; the listener runs on the listener bus.
 */
public final class LoopMetrics implements AutoCloseable {
  /** How long a sample waits for the context cleaner to remove what the program dropped. */
  static final long CLEANER_WAIT_MS = 60_000;

  /**
   * One iteration's numbers. {@code reachable*}: what the held datasets' lineage can need; the
   * rest: what the application holds.
   */
  public record Sample(int iteration, int lineageNodes, int reachableShuffles, int reachableShuffleFiles,
      int reachableCheckpoints, int shuffles, long mapOutputs, long shuffleFiles,
      long checkpointDirs, long heapAfterGcBytes, long taskBinaryBytes) {
    static final String HEADER = "iteration\tlineageNodes\treachableShuffles\treachableShuffleFiles\t"
        + "reachableCheckpoints\tshuffles\tmapOutputs\tshuffleFiles\tcheckpointDirs\t"
        + "heapAfterGcBytes\ttaskBinaryBytes";

    String toTsv() {
      return iteration + "\t" + lineageNodes + "\t" + reachableShuffles + "\t" + reachableShuffleFiles + "\t"
          + reachableCheckpoints + "\t" + shuffles + "\t" + mapOutputs + "\t"
          + shuffleFiles + "\t" + checkpointDirs + "\t" + heapAfterGcBytes + "\t" + taskBinaryBytes;
    }

    static Sample fromTsv(String line) {
      String[] f = line.split("\t");
      return new Sample(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
          Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5]), Long.parseLong(f[6]),
          Long.parseLong(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]));
    }
  }

  /** What the lineage of the held datasets can need. */
  private record Reachable(int nodes, int shuffles, int shuffleFiles, int checkpoints) {}

  private final WeftContext wc;
  private final AtomicLong largestBinary = new AtomicLong();
  private final WeftListener listener = event -> {
    if (event instanceof ListenerEvent.StageSubmitted s) {
      largestBinary.accumulateAndGet(s.taskBinaryBytes(), Math::max);
    }
  };
  private final List<Sample> samples = new ArrayList<>();
  /** A sample's wait ran out: the cleaner is behind (a leak), so later samples do not wait again. */
  private boolean cleanerBehind;

  /** Starts watching {@code wc}'s submitted stages; close to stop. */
  public LoopMetrics(WeftContext wc) {
    this.wc = wc;
    wc.addListener(listener);
  }

  /**
   * Measures after {@code iteration}, the program holding the datasets of {@code held} (and
   * nothing else of its lineage). Runs a small job on every executor to count the shuffle files.
   */
  public Sample sample(int iteration, Node<?>... held) {
    long binary = takeLargestBinary();
    Reachable reachable = reachable(held);
    long deadline = System.nanoTime() + (cleanerBehind ? 0 : TimeUnit.MILLISECONDS.toNanos(CLEANER_WAIT_MS));
    StatusTracker.SchedulerState state;
    long files;
    long checkpointDirs;
    while (true) {
      System.gc();
      state = wc.statusTracker().schedulerState();
      files = shuffleFiles(wc, state.executors());
      checkpointDirs = checkpointDirs();
      boolean caughtUp = state.shuffles() <= reachable.shuffles() && files <= reachable.shuffleFiles()
          && checkpointDirs <= reachable.checkpoints();
      if (caughtUp || System.nanoTime() > deadline) {
        cleanerBehind |= !caughtUp;
        break;
      }
      sleep(); // the event is the cleaner removing what a GC found unreachable; the loop re-checks it
    }
    Sample s = new Sample(iteration, reachable.nodes(), reachable.shuffles(), reachable.shuffleFiles(),
        reachable.checkpoints(), state.shuffles(), state.mapOutputs(), files,
        checkpointDirs, heapAfterGc(), binary);
    samples.add(s);
    takeLargestBinary(); // the counting jobs' own stages are not the next iteration's
    return s;
  }

  public List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** One line per measured quantity: its value after each iteration. */
  public String curves() {
    return curves(samples);
  }

  /** One line per measured quantity of {@code samples}: its value after each iteration. */
  public static String curves(List<Sample> samples) {
    StringBuilder out = new StringBuilder();
    curve(out, samples, "lineage nodes", Sample::lineageNodes);
    curve(out, samples, "shuffles registered", Sample::shuffles);
    curve(out, samples, "map outputs registered", Sample::mapOutputs);
    curve(out, samples, "shuffle files on executors", Sample::shuffleFiles);
    curve(out, samples, "checkpoint directories", Sample::checkpointDirs);
    curve(out, samples, "task binary bytes (largest)", Sample::taskBinaryBytes);
    curve(out, samples, "driver heap after GC (MiB)", s -> s.heapAfterGcBytes() >> 20);
    return out.toString();
  }

  private static void curve(StringBuilder out, List<Sample> samples, String name, ToLongFunction<Sample> f) {
    out.append(String.format(Locale.ROOT, "%-30s %s%n", name,
        samples.stream().map(s -> Long.toString(f.applyAsLong(s))).collect(Collectors.joining(" "))));
  }

  /**
   * Upper bounds on what a loop may hold after any iteration: shuffles, map outputs and shuffle
   * files registered or on disk, checkpoint directories, growth of the driver's heap after GC over
   * the first sample, and the task binary of an iteration after the first {@code window}
   * iterations over the largest within them plus {@code binarySlackBytes} (a loop cut every
   * {@code window} iterations carries no longer a lineage later than in its first window).
   */
  public record Bounds(int shuffles, long mapOutputs, long shuffleFiles, long checkpointDirs, long heapGrowthBytes,
      int window, long binarySlackBytes) {}

  /**
   * What exceeds {@code bounds} in {@code samples}, one line each naming the iteration, the
   * number and its bound; also anything held beyond what the lineage can need (the cleaner left
   * something unreachable). Empty when every sample is within.
   */
  public static List<String> exceeding(List<Sample> samples, Bounds bounds) {
    List<String> out = new ArrayList<>();
    long heapBound = samples.isEmpty() ? 0 : samples.get(0).heapAfterGcBytes() + bounds.heapGrowthBytes();
    long binaryBound = samples.stream().filter(s -> s.iteration() <= bounds.window())
        .mapToLong(Sample::taskBinaryBytes).max().orElse(0) + bounds.binarySlackBytes();
    for (Sample s : samples) {
      above(out, s, "shuffles registered", s.shuffles(), Math.min(bounds.shuffles(), s.reachableShuffles()));
      above(out, s, "map outputs registered", s.mapOutputs(), bounds.mapOutputs());
      above(out, s, "shuffle files on executors", s.shuffleFiles(),
          Math.min(bounds.shuffleFiles(), s.reachableShuffleFiles()));
      above(out, s, "checkpoint directories", s.checkpointDirs(),
          Math.min(bounds.checkpointDirs(), s.reachableCheckpoints()));
      above(out, s, "driver heap after GC (bytes)", s.heapAfterGcBytes(), heapBound);
      if (s.iteration() > bounds.window()) {
        above(out, s, "task binary bytes", s.taskBinaryBytes(), binaryBound);
      }
    }
    return out;
  }

  private static void above(List<String> out, Sample s, String what, long value, long bound) {
    if (value > bound) {
      out.add("iteration " + s.iteration() + ": " + value + " " + what + ", more than " + bound);
    }
  }

  /** The samples as tab-separated lines with a header, written with Hadoop's file system API (HDFS too). */
  public void writeTsv(String path) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    try (var out = p.getFileSystem(wc.hadoopConfiguration()).create(p, true)) {
      StringBuilder text = new StringBuilder(Sample.HEADER).append('\n');
      samples.forEach(s -> text.append(s.toTsv()).append('\n'));
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the loop metrics to " + path + ": " + e.getMessage(), e);
    }
  }

  /** The samples of a file {@link #writeTsv} wrote. */
  public static List<Sample> parseTsv(List<String> lines) {
    if (lines.isEmpty() || !lines.get(0).equals(Sample.HEADER)) {
      throw new IllegalArgumentException("not a loop metrics file: its first line is not " + Sample.HEADER);
    }
    return lines.stream().skip(1).filter(l -> !l.isBlank()).map(Sample::fromTsv).toList();
  }

  @Override
  public void close() {
    wc.removeListener(listener);
  }

  private long takeLargestBinary() {
    if (!wc.listenerBus().waitUntilEmpty(10_000)) {
      throw new IllegalStateException("the listener bus did not drain within 10 s; task binary sizes are unknown");
    }
    return largestBinary.getAndSet(0);
  }

  /** The lineage of {@code held}: nodes, the shuffles in it, the files they and local checkpoints keep. */
  private static Reachable reachable(Node<?>... held) {
    Set<Integer> seen = new HashSet<>();
    Set<Integer> shuffles = new HashSet<>();
    // each map task of a shuffle, and each partition of a local checkpoint, keeps a data and an index file
    Map<Integer, Integer> fileKeepers = new HashMap<>();
    int checkpoints = 0;
    Deque<Node<?>> todo = new ArrayDeque<>(List.of(held));
    while (!todo.isEmpty()) {
      Node<?> n = todo.pop();
      if (!seen.add(n.id())) {
        continue;
      }
      if (n instanceof CheckpointNode<?>) {
        checkpoints++;
      } else if (n instanceof LocalCheckpointNode<?> local) {
        fileKeepers.put(local.shuffleId(), local.numPartitions());
      }
      for (Dependency d : n.dependencies()) {
        if (d instanceof ShuffleDependency<?, ?, ?> s) {
          shuffles.add(s.shuffleId());
          fileKeepers.put(s.shuffleId(), s.parent().numPartitions());
        }
        todo.push(d.parent());
      }
    }
    int files = 2 * fileKeepers.values().stream().mapToInt(Integer::intValue).sum();
    return new Reachable(seen.size(), shuffles.size(), files, checkpoints);
  }

  /**
   * The shuffle files on the executors' disks, counted by tasks until one ran on each of the
   * {@code executors} executors (a job's tasks need not reach them all).
   */
  static long shuffleFiles(WeftContext wc, int executors) {
    int n = Math.max(2, wc.defaultParallelism() * 2);
    Map<String, Long> perExecutor = new HashMap<>();
    for (int attempt = 0; attempt < 20 && perExecutor.size() < executors; attempt++) {
      wc.parallelize(IntStream.range(0, n).boxed().toList(), n).map(i -> {
        File[] files = TaskContext.get().env().localDirs().root().resolve("shuffle").toFile().listFiles();
        return Pair.of(TaskContext.get().env().executorId(), files == null ? 0L : (long) files.length);
      }).collect().forEach(p -> perExecutor.merge(p.key(), p.value(), Math::max));
    }
    if (perExecutor.size() < executors) {
      throw new IllegalStateException("counting shuffle files: tasks reached " + perExecutor.keySet() + ", not all "
          + executors + " executors");
    }
    return perExecutor.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Checkpoint directories under the application's checkpoint directory (0 when it has none). */
  private long checkpointDirs() {
    String dir;
    try {
      dir = wc.checkpointDir();
    } catch (IllegalStateException none) {
      return 0;
    }
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
    try {
      return p.getFileSystem(wc.hadoopConfiguration()).listStatus(p).length;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the checkpoint directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the context cleaner", e);
    }
  }
}
