package io.weft.shuffle.sort;

import com.google.common.collect.AbstractIterator;
import com.google.common.collect.Iterators;
import com.google.common.collect.PeekingIterator;
import com.google.common.io.CountingOutputStream;
import io.weft.KeyHash;
import io.weft.NaturalOrder;
import io.weft.Pair;
import io.weft.Partitioner;
import io.weft.TaskContext;
import io.weft.config.ShuffleOptions;
import io.weft.plan.Aggregator;
import io.weft.serialization.SerializationStream;
import io.weft.serialization.Serializer;
import io.weft.serialization.SerializerInstance;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sorts (and optionally combines) a task's key-value records by partition and key within a
 * memory budget, spilling sorted runs to local disk, then merges the runs: the heart of the
 * sort-based shuffle, used by the map side ({@link SortShuffleWriter}) and the reduce side
 * ({@code ShuffleReader}). Modelled on Spark's {@code ExternalSorter}.
 *
 * <p>How it works:
 * <ol>
 *   <li>{@link #insertAll}: with an aggregator, values are combined into a
 *       {@link PartitionedAppendOnlyMap} keyed by (partition, key); without one they are appended
 *       to a {@link PartitionedPairBuffer}. When the collection's estimated size outgrows the
 *       execution memory the sorter holds, it asks the executor's
 *       {@link io.weft.memory.UnifiedMemoryManager} for more (twice its size less what it holds);
 *       granted less than it needs, its records are sorted by partition and then by the key
 *       comparator and written to a spill file, one serialized stream per partition, and its
 *       memory goes back to the pool. The memory of what stays in memory is released by
 *       {@link #stop()}.
 *   <li>{@link #iterator} or {@link #writePartitionedFile} merge the spills with what is still
 *       in memory, one partition at a time. The key comparator is the ordering if given; else,
 *       with an aggregator, the keys' {@link KeyHash} hashes (enough to bring equal keys together: runs of
 *       equal hash are combined by {@code equals}, as Spark's {@code mergeWithAggregation}
 *       does); else there is none, and records are only grouped by partition. Hash order is
 *       needed only to merge spills: when an aggregation spilled nothing, its records are only
 *       grouped by partition.
 * </ol>
 * Example: budget 64 KiB, 200k records with 1,000 distinct keys and a sum aggregator: each spill
 * holds at most 1,000 combined keys sorted by hash; the merge reads every spill's partition 0 in
 * hash order, sums the values of equal keys across spills, and moves on to partition 1.
 *
 * <p>Threading: one task thread. Failure handling: I/O errors are thrown as
 * {@link UncheckedIOException}s naming the file; spill files are deleted by {@link #stop()},
 * which is registered as a task completion listener so they go even when the task fails.
 *
 * @param <K> key type
 * @param <V> value type of the input records
 * @param <C> combiner type; equal to V when there is no aggregator
 */
public final class ExternalSorter<K, V, C> {
  private static final Logger LOG = LoggerFactory.getLogger(ExternalSorter.class);
  /**
   * As in Spark, memory is checked every 32 records: a sorter granted nothing (its task at its
   * share) then spills runs of 32 records at the least, not one file per record.
   */
  private static final int CHECK_EVERY = 32;

  private final TaskContext task;
  private final Aggregator<K, V, C> aggregator;
  private final Partitioner partitioner;
  private final int numPartitions;
  private final Comparator<Object> keyComparator;
  /** Whether the caller asked for key order (else the comparator, if any, only serves merging spills). */
  private final boolean ordered;
  private final SerializerInstance serializer;
  private final int fileBufferSize;
  private final io.weft.memory.UnifiedMemoryManager memory;
  /** The collection never spills below this size (weft.shuffle.spill.initialMemoryThreshold). */
  private final long spillFloor;
  /** Execution memory this sorter holds for its in-memory collection. */
  private long granted;
  /** Records inserted since the last memory check: checked every {@value #CHECK_EVERY} records. */
  private int sinceCheck;
  private final List<SpillFile> spills = new ArrayList<>();
  private PartitionedAppendOnlyMap<K, V, C> map;
  private PartitionedPairBuffer<K, V> buffer;
  private boolean consumed;
  private long recordsWritten;

  /**
   * @param aggregator combines values of equal keys; null to keep every record
   * @param partitioner splits keys into partitions; null for a single partition
   * @param ordering sorts keys inside each partition; null when order does not matter
   */
  @SuppressWarnings("unchecked")
  public ExternalSorter(TaskContext task, Aggregator<K, V, C> aggregator, Partitioner partitioner,
      Comparator<? super K> ordering, Serializer serializer) {
    this.task = task;
    this.aggregator = aggregator;
    this.partitioner = partitioner;
    this.numPartitions = partitioner == null ? 1 : partitioner.numPartitions();
    this.ordered = ordering != null;
    if (ordering != null) {
      Comparator<Object> byOrdering = (a, b) -> ordering.compare((K) a, (K) b);
      this.keyComparator = NaturalOrder.isNatural(ordering) ? new PrefixSort.NaturalKeyOrder(byOrdering) : byOrdering;
    } else if (aggregator != null) {
      this.keyComparator = (a, b) -> Integer.compare(KeyHash.hash(a), KeyHash.hash(b));
    } else {
      this.keyComparator = null;
    }
    this.serializer = serializer.newInstance();
    this.fileBufferSize = (int) (long) task.env().conf().get(ShuffleOptions.FILE_BUFFER);
    this.memory = task.env().memory();
    this.spillFloor = Math.min(task.env().conf().get(ShuffleOptions.SPILL_INITIAL_THRESHOLD),
        memory.executionCap() / 64);
    if (aggregator != null) {
      map = new PartitionedAppendOnlyMap<>(aggregator);
    } else {
      buffer = new PartitionedPairBuffer<>();
    }
    task.addCompletionListener(this::stop);
  }

  private int partition(K key) {
    return partitioner == null ? 0 : partitioner.partitionFor(key);
  }

  /** Adds records, combining and spilling as needed. */
  @SuppressWarnings("unchecked")
  public void insertAll(Iterator<? extends Pair<K, V>> records) {
    if (consumed) {
      throw new IllegalStateException("records inserted after the sorter's output was read");
    }
    if (map != null) {
      while (records.hasNext()) {
        Pair<K, V> r = records.next();
        map.insert(partition(r.key()), r.key(), r.value());
        maybeSpill(map.estimateSize());
      }
    } else {
      while (records.hasNext()) {
        Pair<K, V> r = records.next();
        buffer.insert(partition(r.key()), r);
        maybeSpill(buffer.estimateSize());
      }
    }
  }

  /**
   * Grows the sorter's execution memory to twice the collection's estimated size when it
   * outgrows it; spills (and gives the memory back) when the pool grants too little, unless the
   * collection is below the spill floor: a sorter granted nothing (its task's share held by
   * another sorter of the task) would otherwise write a file every {@value #CHECK_EVERY} records.
   */
  private void maybeSpill(long estimate) {
    if (++sinceCheck < CHECK_EVERY || estimate < granted) {
      return;
    }
    sinceCheck = 0;
    granted += memory.acquireExecution(task.taskAttemptId(), 2 * estimate - granted);
    if (estimate >= granted && estimate >= spillFloor) {
      spill();
      memory.releaseExecution(task.taskAttemptId(), granted);
      granted = 0;
    }
  }

  @SuppressWarnings("unchecked")
  private SorterCollection<K, C> collection() {
    return map != null ? map : (SorterCollection<K, C>) (SorterCollection<K, ?>) buffer;
  }

  private PartitionedRecords<K, C> takeSortedMemory() {
    PartitionedRecords<K, C> records = collection().sortedRecords(numPartitions, keyComparator);
    if (map != null) {
      map = new PartitionedAppendOnlyMap<>(aggregator);
    } else {
      buffer = new PartitionedPairBuffer<>();
    }
    return records;
  }

  private void spill() {
    long estimate = collection().estimateSize();
    PartitionedRecords<K, C> records = takeSortedMemory();
    File file = task.env().localDirs().tempFile("spill");
    boolean written = false;
    try (OutputStream out = new BufferedOutputStream(new FileOutputStream(file), fileBufferSize)) {
      long[] lengths = writePartitions(out, records::partition);
      spills.add(new SpillFile(file, lengths, fileBufferSize));
      written = true;
      long bytes = sum(lengths);
      task.metrics().addSpill(bytes);
      LOG.debug("task {}: spilled {} records (~{} bytes in memory, {} on disk) to {}; {} spills so far",
          task.taskAttemptId(), records.size(), estimate, bytes, file, spills.size());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write spill file " + file, e);
    } finally {
      if (!written && !file.delete() && file.exists()) {
        LOG.warn("could not delete failed spill file {}", file);
      }
    }
  }

  /**
   * Writes each partition's records as an independent serialized stream, so a reader can start
   * at any partition's offset; returns the byte length of each partition.
   */
  private long[] writePartitions(OutputStream out, IntFunction<Iterator<Pair<K, C>>> source)
      throws IOException {
    CountingOutputStream counting = new CountingOutputStream(out);
    OutputStream shielded = new Shielded(counting);
    long[] lengths = new long[numPartitions];
    long records = 0;
    for (int p = 0; p < numPartitions; p++) {
      long start = counting.getCount();
      Iterator<Pair<K, C>> it = source.apply(p);
      if (it.hasNext()) {
        SerializationStream stream = serializer.serializeStream(shielded);
        while (it.hasNext()) {
          Pair<K, C> r = it.next();
          stream.writeKeyValue(r.key(), r.value());
          records++;
        }
        // flush, not close: the file stays open for the next partition
        stream.flush();
      }
      lengths[p] = counting.getCount() - start;
    }
    recordsWritten = records;
    return lengths;
  }

  /**
   * Writes all records, merged, to {@code out}, partition after partition; returns each
   * partition's byte length. Each partition's bytes are an independent serialized stream.
   */
  public long[] writePartitionedFile(File out) {
    PartitionedRecords<K, C> memory = startOutput();
    try (OutputStream stream = new BufferedOutputStream(new FileOutputStream(out), fileBufferSize)) {
      return writePartitions(stream, p -> mergedPartition(p, memory));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write shuffle output " + out, e);
    }
  }

  /** Records written by the last {@link #writePartitionedFile}. */
  public long recordsWritten() {
    return recordsWritten;
  }

  /**
   * All records, merged over spills and memory, partition after partition; sorted by the
   * ordering within each partition if there is one, combined if there is an aggregator.
   */
  public Iterator<Pair<K, C>> iterator() {
    PartitionedRecords<K, C> memory = startOutput();
    // partitions are opened lazily, one after the other: spill readers only move forward
    Iterator<Iterator<Pair<K, C>>> partitions = new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < numPartitions;
      }

      @Override
      public Iterator<Pair<K, C>> next() {
        return mergedPartition(next++, memory);
      }
    };
    return Iterators.concat(partitions);
  }

  private PartitionedRecords<K, C> startOutput() {
    if (consumed) {
      throw new IllegalStateException("the sorter's output can be read only once");
    }
    consumed = true;
    // the hash order of an aggregation only lets the merge meet equal keys across spills; with
    // no spill, grouping by partition (a linear counting sort) is all the output needs
    Comparator<Object> comparator = ordered || !spills.isEmpty() ? keyComparator : null;
    PartitionedRecords<K, C> memory = collection().sortedRecords(numPartitions, comparator);
    map = null;
    buffer = null;
    return memory;
  }

  private Iterator<Pair<K, C>> mergedPartition(int p, PartitionedRecords<K, C> memory) {
    if (spills.isEmpty()) {
      return memory.partition(p);
    }
    List<Iterator<Pair<K, C>>> sources = new ArrayList<>(spills.size() + 1);
    for (SpillFile spill : spills) {
      sources.add(spill.readPartition(p, serializer));
    }
    sources.add(memory.partition(p));
    if (keyComparator == null) {
      return Iterators.concat(sources.iterator());
    }
    Comparator<Pair<K, C>> byKey = (a, b) -> keyComparator.compare(a.key(), b.key());
    Iterator<Pair<K, C>> sorted = Iterators.mergeSorted(sources, byKey);
    return aggregator == null ? sorted : combineEqualKeys(Iterators.peekingIterator(sorted));
  }

  /**
   * Combines records of equal keys in a stream sorted by the key comparator. Keys that compare
   * equal (same hash, or equal under the ordering) need not be equal, so each run of them is
   * collected and combined by {@code equals}: runs are short unless hash codes collide a lot.
   */
  private Iterator<Pair<K, C>> combineEqualKeys(PeekingIterator<Pair<K, C>> sorted) {
    return new AbstractIterator<>() {
      private final List<K> keys = new ArrayList<>();
      private final List<C> combiners = new ArrayList<>();
      private int emitted;

      @Override
      protected Pair<K, C> computeNext() {
        if (emitted == keys.size()) {
          if (!sorted.hasNext()) {
            return endOfData();
          }
          collectRun();
        }
        int i = emitted++;
        return new Pair<>(keys.get(i), combiners.get(i));
      }

      private void collectRun() {
        keys.clear();
        combiners.clear();
        emitted = 0;
        Pair<K, C> first = sorted.next();
        keys.add(first.key());
        combiners.add(first.value());
        while (sorted.hasNext() && keyComparator.compare(sorted.peek().key(), first.key()) == 0) {
          Pair<K, C> r = sorted.next();
          int i = indexOf(keys, r.key());
          if (i >= 0) {
            combiners.set(i, Aggregators.mergeCombiners(aggregator, combiners.get(i), r.value()));
          } else {
            keys.add(r.key());
            combiners.add(r.value());
          }
        }
      }
    };
  }

  private static int indexOf(List<?> keys, Object key) {
    for (int i = 0; i < keys.size(); i++) {
      if (Objects.equals(keys.get(i), key)) {
        return i;
      }
    }
    return -1;
  }

  /** Number of sorted runs spilled so far. */
  public int spillCount() {
    return spills.size();
  }

  /** Closes and deletes the spill files. Idempotent; also runs when the task completes. */
  public void stop() {
    for (SpillFile spill : spills) {
      spill.close();
      if (!spill.file().delete() && spill.file().exists()) {
        LOG.warn("could not delete spill file {}", spill.file());
      }
    }
    spills.clear();
    map = null;
    buffer = null;
    memory.releaseExecution(task.taskAttemptId(), granted);
    granted = 0;
  }

  private static long sum(long[] values) {
    long s = 0;
    for (long v : values) {
      s += v;
    }
    return s;
  }

  /** Passes bytes through but ignores flush and close: one file holds many partition streams. */
  private static final class Shielded extends FilterOutputStream {
    Shielded(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
