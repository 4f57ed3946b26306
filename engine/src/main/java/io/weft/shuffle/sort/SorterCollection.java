package io.weft.shuffle.sort;

import java.util.Comparator;

/**
 * What {@link ExternalSorter} needs from its in-memory collection (a buffer or an aggregation
 * map): its record count, its estimated heap size, and its records sorted for a spill or the
 * final merge. Not thread-safe.
 */
interface SorterCollection<K, C> {
  int size();

  /** Estimated heap bytes, kept up to date cheaply by a {@link io.weft.util.SizeTracker}. */
  long estimateSize();

  /** The records sorted by partition then key; the collection must not be used afterwards. */
  PartitionedRecords<K, C> sortedRecords(int numPartitions, Comparator<Object> keyComparator);
}
