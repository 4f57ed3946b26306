package io.weft;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Partitions keys into ranges of roughly equal size, so partition i holds only keys below those
 * of partition i+1: concatenating sorted partitions gives a total order (TeraSort's approach).
 *
 * <p>The range bounds come from a sample: a job draws a reservoir sample of keys from every input
 * partition together with the partition's size; each sampled key is weighted by
 * (partition size / sample size), the weighted keys are sorted, and a bound is placed each time
 * the cumulative weight passes another 1/n of the total. Example: 3 partitions and a sample
 * weighing 300 in all gives bounds at the keys where the weight passes 100 and 200.
 */
public final class RangePartitioner<K> extends Partitioner {
  private final Object[] bounds;
  private final Comparator<? super K> ordering;
  private final boolean ascending;

  private RangePartitioner(Object[] bounds, Comparator<? super K> ordering, boolean ascending) {
    this.bounds = bounds;
    this.ordering = ordering;
    this.ascending = ascending;
  }

  /** Samples {@code keys} (running a job) and builds at most {@code partitions} ranges. */
  public static <K> RangePartitioner<K> fromSample(Dataset<K> keys, int partitions,
      Comparator<? super K> ordering, boolean ascending) {
    if (partitions <= 1 || keys.getNumPartitions() == 0) {
      return new RangePartitioner<>(new Object[0], ordering, ascending);
    }
    int inputPartitions = keys.getNumPartitions();
    int perPartition = (int) Math.min(1_000_000 / inputPartitions + 1,
        Math.ceil(60.0 * partitions / inputPartitions) + 20);
    List<Sample<K>> samples = keys.context().runJob(keys.node(), (task, it) -> {
      Random random = new Random(31L * task.partitionId() + 17);
      ArrayList<K> reservoir = new ArrayList<>(perPartition);
      long seen = 0;
      while (it.hasNext()) {
        K k = it.next();
        seen++;
        if (reservoir.size() < perPartition) {
          reservoir.add(k);
        } else {
          long j = (long) (random.nextDouble() * seen);
          if (j < perPartition) {
            reservoir.set((int) j, k);
          }
        }
      }
      return new Sample<>(seen, reservoir);
    });
    return new RangePartitioner<>(bounds(samples, partitions, ordering), ordering, ascending);
  }

  record Sample<K>(long count, ArrayList<K> keys) implements Serializable {}

  private record Weighted<K>(K key, double weight) {}

  static <K> Object[] bounds(List<Sample<K>> samples, int partitions, Comparator<? super K> ordering) {
    List<Weighted<K>> weighted = new ArrayList<>();
    double total = 0;
    for (Sample<K> s : samples) {
      if (s.keys().isEmpty()) {
        continue;
      }
      double w = (double) s.count() / s.keys().size();
      for (K k : s.keys()) {
        weighted.add(new Weighted<>(k, w));
      }
      total += s.count();
    }
    weighted.sort((a, b) -> ordering.compare(a.key(), b.key()));
    List<Object> out = new ArrayList<>();
    double step = total / partitions;
    double cumulative = 0;
    double target = step;
    K previous = null;
    for (Weighted<K> w : weighted) {
      cumulative += w.weight();
      if (cumulative >= target && out.size() < partitions - 1) {
        if (previous == null || ordering.compare(w.key(), previous) > 0) {
          out.add(w.key());
          previous = w.key();
        }
        target += step;
      }
    }
    return out.toArray();
  }

  @Override
  public int numPartitions() {
    return bounds.length + 1;
  }

  @Override
  @SuppressWarnings("unchecked")
  public int partitionFor(Object key) {
    K k = (K) key;
    int lo = 0;
    int hi = bounds.length;
    // first bound >= key: keys equal to a bound go to that bound's partition
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ordering.compare((K) bounds[mid], k) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return ascending ? lo : bounds.length - lo;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RangePartitioner<?> r && r.ascending == ascending
        && Arrays.equals(r.bounds, bounds) && r.ordering.equals(ordering);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds) * 31 + (ascending ? 1 : 0);
  }

  /** For explain() and logs: the partition count and direction (the bounds come from a sample). */
  @Override
  public String toString() {
    return "RangePartitioner(" + numPartitions() + (ascending ? ", ascending)" : ", descending)");
  }
}
