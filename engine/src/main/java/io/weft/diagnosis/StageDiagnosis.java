package io.weft.diagnosis;

import io.weft.scheduler.task.TaskLocality;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Why a stage was slow, from the metrics its tasks already reported: a pure function of the
 * tasks' {@link TaskSample}s, so it can be tested with hand-made numbers. Each finding is one
 * line with its numbers, in this order when they apply:
 * <ul>
 *   <li>skew: the largest task read, or the slowest ran, at least {@code skewRatio} times the
 *       median (and at least 10,000 records or 1 s more; the median read must be above 0, since
 *       reads from the cache are not counted), naming its partition and, from the
 *       map tasks' sketches, the heaviest keys written to it;
 *   <li>stragglers: the tasks of one host (or, all on one host, of one executor) took a median
 *       at least twice, and 1 s more than, that of the others;
 *   <li>GC: at least 10% of task time and 1 s;
 *   <li>shuffle fetch wait: at least 20% of task time and 1 s;
 *   <li>spill: any sorted run written to disk;
 *   <li>locality misses: at least 10% of tasks ran RACK_LOCAL or ANY (away from their data).
 * </ul>
 * The absolute floors keep a short, balanced stage (milliseconds of jitter) from being flagged.
 */
public final class StageDiagnosis {
  static final long MIN_SKEW_RECORDS = 10_000;
  static final long MIN_EXCESS_MS = 1_000;
  private static final int KEYS_NAMED = 3;

  private StageDiagnosis() {}

  /**
   * @param heavyKeys the heaviest keys written to reduce partition p of the shuffles a task read
   *     ({@code partition -> keys}), given the task
   */
  public static List<String> findings(List<TaskSample> tasks, double skewRatio,
      java.util.function.BiFunction<TaskSample, Integer, List<KeySketch.HeavyKey>> heavyKeys) {
    List<String> out = new ArrayList<>();
    if (tasks.isEmpty()) {
      return out;
    }
    String skew = skew(tasks, skewRatio, heavyKeys);
    if (skew != null) {
      out.add(skew);
    }
    String stragglers = stragglers(tasks);
    if (stragglers != null) {
      out.add(stragglers);
    }
    long total = sum(tasks, TaskSample::durationMs);
    long gc = sum(tasks, TaskSample::gcMs);
    if (gc >= MIN_EXCESS_MS && gc >= total / 10) {
      out.add(String.format(Locale.ROOT, "GC: %d%% of task time (%s of %s); give executors more memory or cache less",
          percent(gc, total), seconds(gc), seconds(total)));
    }
    long wait = sum(tasks, TaskSample::fetchWaitMs);
    if (wait >= MIN_EXCESS_MS && wait >= total / 5) {
      out.add(String.format(Locale.ROOT, "shuffle fetch wait: %d%% of task time (%s of %s) waiting for blocks "
          + "from other executors", percent(wait, total), seconds(wait), seconds(total)));
    }
    long spills = sum(tasks, TaskSample::spillCount);
    if (spills > 0) {
      long spilling = tasks.stream().filter(t -> t.spillCount() > 0).count();
      out.add(String.format(Locale.ROOT, "spill: %s in %d spills by %d of %d tasks; sorts and aggregations ran out "
          + "of memory (weft.shuffle.memoryFraction, executor memory, or more partitions)",
          bytes(sum(tasks, TaskSample::spillBytes)), spills, spilling, tasks.size()));
    }
    String locality = locality(tasks);
    if (locality != null) {
      out.add(locality);
    }
    return out;
  }

  private static String skew(List<TaskSample> tasks, double ratio,
      java.util.function.BiFunction<TaskSample, Integer, List<KeySketch.HeavyKey>> heavyKeys) {
    if (tasks.size() < 3) {
      return null;
    }
    long medianIn = median(tasks, TaskSample::inputRecords);
    TaskSample largest = tasks.stream().max(Comparator.comparingLong(TaskSample::inputRecords)).orElseThrow();
    long medianMs = median(tasks, TaskSample::durationMs);
    TaskSample slowest = tasks.stream().max(Comparator.comparingLong(TaskSample::durationMs)).orElseThrow();
    // a median of 0 records means most tasks read cached blocks (their reads are not counted):
    // one that read records then recomputed a lost block, which is not skew
    boolean inputSkew = medianIn > 0 && largest.inputRecords() >= ratio * medianIn
        && largest.inputRecords() - medianIn >= MIN_SKEW_RECORDS;
    boolean timeSkew = slowest.durationMs() >= ratio * medianMs && slowest.durationMs() - medianMs >= MIN_EXCESS_MS;
    if (!inputSkew && !timeSkew) {
      return null;
    }
    TaskSample t = inputSkew ? largest : slowest;
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "skew: partition %d read %,d records (median %,d, %s) and took %s (median %s, %s)", t.partition(),
        t.inputRecords(), medianIn, times(t.inputRecords(), medianIn), seconds(t.durationMs()), seconds(medianMs),
        times(t.durationMs(), medianMs)));
    List<KeySketch.HeavyKey> keys = heavyKeys.apply(t, t.partition());
    if (!keys.isEmpty()) {
      line.append("; its heaviest keys: ").append(keys.stream().limit(KEYS_NAMED)
          .map(k -> String.format(Locale.ROOT, "'%s' (~%,d records)", k.key(), k.count()))
          .collect(Collectors.joining(", ")));
    }
    return line.toString();
  }

  private static String stragglers(List<TaskSample> tasks) {
    boolean oneHost = tasks.stream().map(TaskSample::host).distinct().count() < 2;
    Map<String, List<TaskSample>> groups = new TreeMap<>(tasks.stream().collect(Collectors.groupingBy(
        t -> oneHost ? "executor " + t.executorId() + " on " + t.host() : "host " + t.host())));
    if (groups.size() < 2) {
      return null;
    }
    String worst = null;
    long worstMedian = 0;
    long othersMedian = 0;
    for (Map.Entry<String, List<TaskSample>> g : groups.entrySet()) {
      List<TaskSample> others = tasks.stream().filter(t -> !g.getValue().contains(t)).toList();
      long mine = median(g.getValue(), TaskSample::durationMs);
      long rest = median(others, TaskSample::durationMs);
      if (g.getValue().size() >= 2 && mine >= 2 * rest && mine - rest >= MIN_EXCESS_MS && mine > worstMedian) {
        worst = g.getKey();
        worstMedian = mine;
        othersMedian = rest;
      }
    }
    if (worst == null) {
      return null;
    }
    return String.format(Locale.ROOT, "stragglers on %s: its %d tasks took a median %s, %s the %s of tasks elsewhere",
        worst, groups.get(worst).size(), seconds(worstMedian), times(worstMedian, othersMedian), seconds(othersMedian));
  }

  private static String locality(List<TaskSample> tasks) {
    long rack = tasks.stream().filter(t -> t.locality() == TaskLocality.RACK_LOCAL).count();
    long any = tasks.stream().filter(t -> t.locality() == TaskLocality.ANY).count();
    long misses = rack + any;
    if (misses == 0 || misses * 10 < tasks.size()) {
      return null;
    }
    return String.format(Locale.ROOT, "locality misses: %d of %d tasks ran away from their data (%d ANY, %d "
        + "RACK_LOCAL); see weft.locality.wait", misses, tasks.size(), any, rack);
  }

  static long median(List<TaskSample> tasks, ToLongFunction<TaskSample> f) {
    if (tasks.isEmpty()) {
      return 0;
    }
    long[] values = tasks.stream().mapToLong(f).sorted().toArray();
    return values[values.length / 2]; // the upper median: half the tasks slow is stragglers, not skew
  }

  private static long sum(List<TaskSample> tasks, ToLongFunction<TaskSample> f) {
    return tasks.stream().mapToLong(f).sum();
  }

  private static long percent(long part, long whole) {
    return whole == 0 ? 0 : Math.round(100.0 * part / whole);
  }

  private static String times(long value, long median) {
    return median == 0 ? "median is 0" : String.format(Locale.ROOT, "%.1fx", (double) value / median);
  }

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private static String bytes(long b) {
    return b >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0)
        : String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
  }
}
