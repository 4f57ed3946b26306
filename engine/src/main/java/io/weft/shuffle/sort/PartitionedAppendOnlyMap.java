package io.weft.shuffle.sort;

import io.weft.KeyHash;
import io.weft.Pair;
import io.weft.plan.Aggregator;
import io.weft.util.SizeEstimator;
import io.weft.util.SizeTracker;
import java.util.Comparator;
import java.util.Objects;

/**
 * The aggregation map of a sorter with an aggregator: one combiner per (partition, key), in an
 * open-addressing hash table over a single {@code Object[]} (key at 2i, combiner at 2i+1) with
 * parallel int arrays of partitions and key hashes, like Spark's {@code AppendOnlyMap}.
 * Entries are never removed, which keeps probing simple: quadratic (triangular) probing over a
 * power-of-two table, grown at 70% load. A null key is stored as a private sentinel. Keys are hashed with
 * {@link KeyHash}, like the partitioner, and compared with {@code equals}.
 *
 * <p>Why not a HashMap: no entry objects and no (partition, key) tuple per record, so the
 * memory estimate and the GC load both stay close to the data itself.
 *
 * <p>A long sum ({@code reduceByKey(Long::sum)}, recognised by {@link Aggregators#isLongSum}) keeps
 * its combiners in a parallel {@code long[]} instead of the odd slots of {@code data}: a merge is
 * one addition, not a call that unboxes, adds and allocates a {@code Long} (which G1 must then
 * card-mark into the old table). The first value or combiner that is not a {@code Long} (a null,
 * or another type through an unchecked cast) boxes the table back into {@code data} and the user's
 * function takes over from there, so results and exceptions are those of the general path.
 *
 * <p>Not thread-safe: owned by one {@link ExternalSorter}. Exceptions thrown by the user's
 * aggregator functions propagate (checked ones wrapped by {@link Aggregators}).
 */
final class PartitionedAppendOnlyMap<K, V, C> implements SorterCollection<K, C> {
  private static final Object NULL_KEY = new Object();
  private static final int MAX_CAPACITY = 1 << 29;
  private static final double LOAD_FACTOR = 0.7;

  private final Aggregator<K, V, C> aggregator;
  private Object[] data;
  private int[] partitions;
  /** Each slot's key hash (as {@link #rehash}ed): most probes that miss stop here, without touching the key. */
  private int[] hashes;
  /** The combiners as primitives while the aggregator is a long sum and all were Longs; else null. */
  private long[] longs;
  private int mask;
  private int size;
  private int growThreshold;
  private final SizeTracker tracker;

  PartitionedAppendOnlyMap(Aggregator<K, V, C> aggregator) {
    this.aggregator = aggregator;
    allocate(64, Aggregators.isLongSum(aggregator.mergeValue()));
    // only the table counts: the aggregator's functions are not data
    tracker = new SizeTracker(() -> SizeEstimator.estimate(data) + SizeEstimator.estimate(partitions)
        + SizeEstimator.estimate(hashes) + (longs == null ? 0 : SizeEstimator.estimate(longs)));
  }

  private void allocate(int capacity, boolean primitiveLongs) {
    data = new Object[2 * capacity];
    longs = primitiveLongs ? new long[capacity] : null;
    partitions = new int[capacity];
    hashes = new int[capacity];
    mask = capacity - 1;
    growThreshold = (int) (capacity * LOAD_FACTOR);
  }

  /** Spreads poor hash codes (small integers, similar strings) over the table (murmur3 mix). */
  static int rehash(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  /** Combines {@code value} into the combiner of ({@code partition}, {@code key}). */
  @SuppressWarnings("unchecked")
  void insert(int partition, K key, V value) {
    Object k = key == null ? NULL_KEY : key;
    int hash = rehash(KeyHash.hash(key));
    int pos = hash & mask;
    for (int delta = 1; ; delta++) {
      Object current = data[2 * pos];
      if (current == null) {
        data[2 * pos] = k;
        C combiner = Aggregators.create(aggregator, value);
        if (longs != null && combiner instanceof Long l) {
          longs[pos] = l;
        } else {
          if (longs != null) {
            boxLongs();
          }
          data[2 * pos + 1] = combiner;
        }
        partitions[pos] = partition;
        hashes[pos] = hash;
        if (++size > growThreshold) {
          grow();
        }
        break;
      }
      if (hashes[pos] == hash && partitions[pos] == partition && (current == k || current.equals(k))) {
        if (longs != null) {
          if (value instanceof Long l) {
            longs[pos] += l; // Long.sum, without the boxes
            break;
          }
          boxLongs();
        }
        data[2 * pos + 1] = Aggregators.mergeValue(aggregator, (C) data[2 * pos + 1], value);
        break;
      }
      pos = (pos + delta) & mask;
    }
    tracker.afterUpdate();
  }

  private void grow() {
    int capacity = mask + 1;
    if (capacity >= MAX_CAPACITY) {
      throw new IllegalStateException("aggregation map cannot grow beyond " + MAX_CAPACITY + " keys");
    }
    Object[] oldData = data;
    int[] oldPartitions = partitions;
    int[] oldHashes = hashes;
    long[] oldLongs = longs;
    allocate(capacity * 2, oldLongs != null);
    for (int i = 0; i < oldPartitions.length; i++) {
      Object k = oldData[2 * i];
      if (k != null) {
        int pos = oldHashes[i] & mask;
        for (int delta = 1; data[2 * pos] != null; delta++) {
          pos = (pos + delta) & mask;
        }
        data[2 * pos] = k;
        data[2 * pos + 1] = oldData[2 * i + 1];
        partitions[pos] = oldPartitions[i];
        hashes[pos] = oldHashes[i];
        if (oldLongs != null) {
          longs[pos] = oldLongs[i];
        }
      }
    }
    if (tracker != null) {
      tracker.resetSamples(); // the table doubled: the old bytes-per-update rate no longer holds
    }
  }

  /** Leaves the primitive path for good: every long combiner becomes a Long in {@code data}. */
  private void boxLongs() {
    for (int i = 0; i < longs.length; i++) {
      if (data[2 * i] != null) {
        data[2 * i + 1] = longs[i];
      }
    }
    longs = null;
  }

  /** Whether the combiners are kept as primitive longs (a long sum, all values Longs so far); for tests. */
  boolean primitiveLongs() {
    return longs != null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public long estimateSize() {
    return tracker.estimateSize();
  }

  /** The combiner of ({@code partition}, {@code key}), or null; for tests. */
  @SuppressWarnings("unchecked")
  C get(int partition, K key) {
    Object k = key == null ? NULL_KEY : key;
    int pos = rehash(KeyHash.hash(key)) & mask;
    for (int delta = 1; data[2 * pos] != null; delta++) {
      if (partitions[pos] == partition && Objects.equals(data[2 * pos], k)) {
        return (C) (longs != null ? (Object) longs[pos] : data[2 * pos + 1]);
      }
      pos = (pos + delta) & mask;
    }
    return null;
  }

  @Override
  public PartitionedRecords<K, C> sortedRecords(int numPartitions, Comparator<Object> keyComparator) {
    Object[] pairs = new Object[size];
    int[] parts = new int[size];
    int n = 0;
    for (int i = 0; i < partitions.length; i++) {
      Object k = data[2 * i];
      if (k != null) {
        pairs[n] = new Pair<>(k == NULL_KEY ? null : k, longs != null ? (Object) longs[i] : data[2 * i + 1]);
        parts[n++] = partitions[i];
      }
    }
    data = null; // destructive, as documented: let the table go before the sort allocates
    partitions = null;
    hashes = null;
    longs = null;
    return PartitionedRecords.sort(pairs, parts, n, numPartitions, keyComparator);
  }
}
