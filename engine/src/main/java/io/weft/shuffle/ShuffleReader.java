package io.weft.shuffle;

import com.google.common.collect.AbstractIterator;
import com.google.common.io.CountingInputStream;
import io.weft.Pair;
import io.weft.TaskContext;
import io.weft.config.ShuffleOptions;
import io.weft.plan.Aggregator;
import io.weft.plan.ShuffleDependency;
import io.weft.serialization.SerializerInstance;
import io.weft.shuffle.sort.Aggregators;
import io.weft.shuffle.sort.ExternalSorter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The reduce side of a shuffle: reads a range of reduce partitions from the map outputs and
 * hands back the key-value records, combined and/or sorted as the shuffle asks.
 *
 * <p>Only the non-empty blocks are opened: the task's {@link ShuffleBlocks} (from the driver's map
 * statuses) lists them, so an empty block costs neither a fetch nor an index read. They are read
 * one at a time, in map order, through the executor's
 * {@link io.weft.shuffle.fetch.ShuffleBlockFetcher}, and deserialized lazily; the blocks after
 * the one being read are requested ahead, up to {@code weft.shuffle.maxBytesInFlight} by the
 * sizes the map side reported, so remote blocks travel while the task deserializes. Then: with an
 * aggregator, records (combiners if the map side combined, else values) are combined by an
 * {@link ExternalSorter} with one partition and the shuffle's key ordering, so the reduce side
 * spills within its memory budget too; with only an ordering, they are sorted by one; otherwise
 * they stream through in block order.
 *
 * <p>Threading: one task thread. Failure handling: a reduce partition the task was not given
 * blocks for is an {@code IllegalStateException} (never an empty result); a block that cannot
 * be opened, or whose bytes turn out corrupt or short while being read, is a
 * {@link FetchFailedException} for that map output, so the scheduler re-runs the map task
 * instead of retrying this one against the same lost block. The open block stream and the sorter's spills are released when the iterator is
 * exhausted or, at the latest, when the task completes.
 */
public final class ShuffleReader {
  private ShuffleReader() {}

  /** Records of reduce partitions [{@code startPartition}, {@code endPartition}) of {@code dep}. */
  public static <K, C> Iterator<Pair<K, C>> read(ShuffleDependency<K, ?, C> dep, int startPartition,
      int endPartition, TaskContext task) {
    return readTyped(dep, startPartition, endPartition, task);
  }

  @SuppressWarnings("unchecked")
  private static <K, V, C> Iterator<Pair<K, C>> readTyped(ShuffleDependency<K, V, C> dep,
      int startPartition, int endPartition, TaskContext task) {
    BlockRecords<K, Object> fetched = new BlockRecords<>(dep, startPartition, endPartition, task);
    task.addCompletionListener(fetched::close);
    Aggregator<K, V, C> aggregator = dep.aggregator();
    if (aggregator != null) {
      if (dep.mapSideCombine()) {
        ExternalSorter<K, C, C> sorter = new ExternalSorter<>(task, Aggregators.combinersOnly(aggregator),
            null, dep.keyOrdering(), dep.serializer());
        sorter.insertAll((Iterator<Pair<K, C>>) (Iterator<?>) fetched);
        return stopWhenDone(sorter.iterator(), sorter);
      }
      ExternalSorter<K, V, C> sorter = new ExternalSorter<>(task, aggregator, null, dep.keyOrdering(), dep.serializer());
      sorter.insertAll((Iterator<Pair<K, V>>) (Iterator<?>) fetched);
      return stopWhenDone(sorter.iterator(), sorter);
    }
    if (dep.keyOrdering() != null) {
      // no aggregator: what the map side wrote are the values themselves (C is V)
      ExternalSorter<K, C, C> sorter = new ExternalSorter<>(task, null, null, dep.keyOrdering(), dep.serializer());
      sorter.insertAll((Iterator<Pair<K, C>>) (Iterator<?>) fetched);
      return stopWhenDone(sorter.iterator(), sorter);
    }
    return (Iterator<Pair<K, C>>) (Iterator<?>) fetched;
  }

  /** Deletes the sorter's spills as soon as its output is consumed, not only at task end. */
  private static <T> Iterator<T> stopWhenDone(Iterator<T> it, ExternalSorter<?, ?, ?> sorter) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        boolean more = it.hasNext();
        if (!more) {
          sorter.stop();
        }
        return more;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return it.next();
      }
    };
  }

  /**
   * The records of all non-empty blocks in the range, block after block: map 0's partitions
   * first, then map 1's, and so on. Blocks are requested ahead of reading (see
   * {@link FetchAhead}). Counts records and bytes read into the task's metrics per block.
   */
  private static final class BlockRecords<K, V> extends AbstractIterator<Pair<K, V>> {
    private final int shuffleId;
    private final TaskContext task;
    private final SerializerInstance serializer;
    private final ShuffleBlocks blocks;
    private final FetchAhead fetchAhead;
    /** The block being read: an index into {@link #blocks}. */
    private int current = -1;
    private CountingInputStream block;
    private Iterator<Pair<K, V>> records;
    private long blockRecords;

    BlockRecords(ShuffleDependency<?, ?, ?> dep, int startPartition, int endPartition, TaskContext task) {
      this.shuffleId = dep.shuffleId();
      this.task = task;
      this.serializer = dep.serializer().newInstance();
      this.blocks = task.shuffleBlocks(dep.shuffleId());
      task.metrics().addShuffleReadId(dep.shuffleId());
      for (int r = startPartition; r < endPartition; r++) {
        if (!blocks.covers(r)) {
          throw new IllegalStateException("task of stage " + task.stageId() + " reads reduce partition " + r
              + " of shuffle " + shuffleId + " but was given the blocks of " + blocks);
        }
      }
      this.fetchAhead = new FetchAhead(blocks, startPartition, endPartition, task.env().fetcher(),
          task.env().conf().get(ShuffleOptions.MAX_BYTES_IN_FLIGHT),
          task.env().conf().get(ShuffleOptions.MAX_BLOCKS_IN_FLIGHT));
    }

    @Override
    protected Pair<K, V> computeNext() {
      while (true) {
        if (records != null) {
          try {
            if (records.hasNext()) {
              blockRecords++;
              return records.next();
            }
          } catch (UncheckedIOException | IllegalStateException e) {
            // IllegalStateException: a key without its value, i.e. a cut block
            throw failure("corrupt or truncated block: " + e.getMessage(), e);
          }
          finishBlock();
        }
        if (!fetchAhead.hasNext()) {
          return endOfData();
        }
        openBlock();
      }
    }

    private FetchFailedException failure(String message, Throwable cause) {
      MapOutputLocation location = blocks.location(current);
      return new FetchFailedException(location == null ? null : location.executorId(), shuffleId,
          blocks.mapIndex(current), blocks.reduceId(current), message, cause);
    }

    private void openBlock() {
      FetchAhead.Next next = fetchAhead.next();
      current = next.block();
      long waitStart = System.nanoTime();
      block = new CountingInputStream(next.pending().await());
      task.metrics().addFetchWaitNanos(System.nanoTime() - waitStart);
      blockRecords = 0;
      try {
        // a serializer with a stream header (Java serialization) reads it here
        records = serializer.deserializeStream(block).asKeyValueIterator();
      } catch (UncheckedIOException e) {
        closeBlock();
        throw failure("corrupt block header: " + e.getMessage(), e);
      }
    }

    /** Accounts for the finished block. */
    private void finishBlock() {
      task.metrics().addShuffleRead(blockRecords, block.getCount());
      closeBlock();
      records = null;
    }

    private void closeBlock() {
      if (block != null) {
        try {
          block.close();
        } catch (IOException ignored) {
          // read-only stream: nothing is lost
        }
        block = null;
      }
    }

    /** Closes the block being read and gives up the blocks requested ahead. */
    void close() {
      closeBlock();
      fetchAhead.releaseAll();
    }
  }
}
