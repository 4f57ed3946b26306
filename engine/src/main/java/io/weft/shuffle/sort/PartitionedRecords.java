package io.weft.shuffle.sort;

import io.weft.Pair;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;

/**
 * The records of an in-memory sorter collection, sorted by partition and then, inside each
 * partition, by a key comparator (if any): what a spill writes and what the final merge reads.
 *
 * <p>Sorting is a counting sort by partition (linear, no comparisons) followed by a comparison
 * sort of each partition's slice; no per-record objects are allocated beyond the pairs. String
 * keys in their natural order are sorted by a binary prefix instead ({@link PrefixSort}).
 * Not thread-safe; built and read by one task thread.
 */
final class PartitionedRecords<K, C> {
  private final Object[] pairs;
  private final int[] starts;

  private PartitionedRecords(Object[] pairs, int[] starts) {
    this.pairs = pairs;
    this.starts = starts;
  }

  /**
   * Sorts the first {@code n} of {@code pairs}, whose partitions are {@code partitions}, by
   * partition then {@code keyComparator} (null: partition only).
   */
  static <K, C> PartitionedRecords<K, C> sort(Object[] pairs, int[] partitions, int n,
      int numPartitions, Comparator<Object> keyComparator) {
    int[] starts = new int[numPartitions + 1];
    for (int i = 0; i < n; i++) {
      starts[partitions[i] + 1]++;
    }
    for (int p = 0; p < numPartitions; p++) {
      starts[p + 1] += starts[p];
    }
    Object[] sorted = new Object[n];
    int[] next = Arrays.copyOf(starts, numPartitions);
    for (int i = 0; i < n; i++) {
      sorted[next[partitions[i]]++] = pairs[i];
    }
    if (keyComparator != null) {
      Comparator<Object> byKey = (a, b) -> keyComparator.compare(((Pair<?, ?>) a).key(), ((Pair<?, ?>) b).key());
      boolean byPrefix = keyComparator instanceof PrefixSort.NaturalKeyOrder;
      for (int p = 0; p < numPartitions; p++) {
        if (starts[p + 1] - starts[p] > 1
            && !(byPrefix && PrefixSort.sortStringKeys(sorted, starts[p], starts[p + 1], keyComparator))) {
          Arrays.sort(sorted, starts[p], starts[p + 1], byKey);
        }
      }
    }
    return new PartitionedRecords<>(sorted, starts);
  }

  int numPartitions() {
    return starts.length - 1;
  }

  int size() {
    return pairs.length;
  }

  /** The records of partition {@code p}, in order. */
  @SuppressWarnings("unchecked")
  Iterator<Pair<K, C>> partition(int p) {
    int from = starts[p];
    int to = starts[p + 1];
    if (from == to) {
      return Collections.emptyIterator();
    }
    return (Iterator<Pair<K, C>>) (Iterator<?>) Arrays.asList(pairs).subList(from, to).iterator();
  }
}
