package io.weft.shuffle.sort;

import io.weft.Pair;
import io.weft.util.SizeEstimator;
import io.weft.util.SizeTracker;
import java.util.Arrays;
import java.util.Comparator;

/**
 * An append-only buffer of records tagged with their partition, for a sorter without an
 * aggregator. The incoming pairs are kept as they are (no copy, no wrapper), partitions in a
 * parallel int array. Tracks its own size estimate for the spill decision.
 *
 * <p>Not thread-safe: owned by one {@link ExternalSorter}.
 */
final class PartitionedPairBuffer<K, V> implements SorterCollection<K, V> {
  private static final int MAX_CAPACITY = Integer.MAX_VALUE - 16;

  private Object[] pairs = new Object[64];
  private int[] partitions = new int[64];
  private int size;
  private final SizeTracker tracker =
      new SizeTracker(() -> SizeEstimator.estimate(pairs) + SizeEstimator.estimate(partitions));

  void insert(int partition, Pair<K, V> record) {
    if (size == pairs.length) {
      if (size == MAX_CAPACITY) {
        throw new IllegalStateException("cannot buffer more than " + MAX_CAPACITY + " records");
      }
      int capacity = (int) Math.min(MAX_CAPACITY, size * 2L);
      pairs = Arrays.copyOf(pairs, capacity);
      partitions = Arrays.copyOf(partitions, capacity);
      tracker.resetSamples(); // the arrays doubled: the old bytes-per-record rate no longer holds
    }
    pairs[size] = record;
    partitions[size] = partition;
    size++;
    tracker.afterUpdate();
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public long estimateSize() {
    return tracker.estimateSize();
  }

  @Override
  public PartitionedRecords<K, V> sortedRecords(int numPartitions, Comparator<Object> keyComparator) {
    return PartitionedRecords.sort(pairs, partitions, size, numPartitions, keyComparator);
  }
}
