package io.weft.shuffle.sort;

import io.weft.Pair;
import io.weft.UnsupportedKeyException;
import io.weft.TaskContext;
import io.weft.plan.Aggregator;
import io.weft.plan.ShuffleDependency;
import io.weft.shuffle.IndexShuffleBlockResolver;
import java.io.File;
import java.io.UncheckedIOException;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one map task's shuffle output: a data file holding every reduce partition's block one
 * after the other, committed with its index by the executor's {@link IndexShuffleBlockResolver}
 * (which owns the file format and keeps an existing complete output of a retried or duplicate
 * attempt, so readers never see a torn file or a data file paired with another attempt's index).
 *
 * <p>With map-side combine the records go through an {@link ExternalSorter} with the shuffle's
 * aggregator (sorted by hash, or by the key ordering if there is one); otherwise they are only
 * grouped by partition, since the reduce side sorts and aggregates anyway: with at most
 * {@code weft.shuffle.sort.bypassMergeThreshold} partitions, by serializing each record straight
 * into its partition's file ({@link BypassMergeShuffleWriter}), else through an
 * {@link ExternalSorter} without aggregator.
 *
 * <p>Threading: stateless; {@link #write} runs on the map task's thread and may run on several
 * at once. Failure handling: I/O errors are {@link UncheckedIOException}s naming the file;
 * temporary files are deleted on failure.
 */
public final class SortShuffleWriter {
  private static final Logger LOG = LoggerFactory.getLogger(SortShuffleWriter.class);

  /** Writes and commits map output {@code mapIndex} of {@code dep}; returns each block's length. */
  public <K, V, C> long[] write(ShuffleDependency<K, V, C> dep, int mapIndex,
      Iterator<Pair<K, V>> records, TaskContext task) {
    int sketchKeys = task.env().conf().get(io.weft.config.DiagnosisOptions.SKETCH_KEYS);
    io.weft.diagnosis.KeySketch sketch = sketchKeys == 0 ? null
        : new io.weft.diagnosis.KeySketch(sketchKeys, dep.partitioner());
    Iterator<Pair<K, V>> watched = sketch == null ? records : sketch.watch(records);
    File tmpData = task.env().localDirs().tempFile("shuffle_" + dep.shuffleId() + "_" + mapIndex + ".data");
    try {
      long[] committed = !dep.mapSideCombine()
          && BypassMergeShuffleWriter.applies(task, dep.partitioner().numPartitions())
          ? writeBypassingMerge(dep, mapIndex, watched, task, tmpData)
          : writeSorted(dep, mapIndex, watched, task, tmpData);
      if (sketch != null) {
        task.metrics().setWrittenKeys(sketch.top(dep.shuffleId()));
      }
      return committed;
    } finally {
      if (tmpData.exists() && !tmpData.delete()) {
        LOG.warn("could not delete temporary shuffle file {}", tmpData);
      }
    }
  }

  private <K, V, C> long[] writeSorted(ShuffleDependency<K, V, C> dep, int mapIndex,
      Iterator<Pair<K, V>> records, TaskContext task, File tmpData) {
    ExternalSorter<K, V, ?> sorter = dep.mapSideCombine()
        ? new ExternalSorter<K, V, C>(task, dep.aggregator(), dep.partitioner(), dep.keyOrdering(), dep.serializer())
        : new ExternalSorter<K, V, V>(task, (Aggregator<K, V, V>) null, dep.partitioner(), null, dep.serializer());
    try {
      try {
        sorter.insertAll(records);
      } catch (UnsupportedKeyException e) {
        throw e.in(dep.operation());
      }
      long[] lengths = sorter.writePartitionedFile(tmpData);
      long[] committed = task.env().shuffleResolver().commit(dep.shuffleId(), mapIndex, tmpData, lengths);
      task.metrics().addShuffleWrite(sorter.recordsWritten(), tmpDataLength(lengths));
      return committed;
    } finally {
      sorter.stop();
    }
  }

  private <K, V> long[] writeBypassingMerge(ShuffleDependency<K, V, ?> dep, int mapIndex,
      Iterator<Pair<K, V>> records, TaskContext task, File tmpData) {
    try (BypassMergeShuffleWriter writer =
        new BypassMergeShuffleWriter(task, dep.partitioner(), dep.serializer().newInstance())) {
      try {
        writer.writeAll(records);
      } catch (UnsupportedKeyException e) {
        throw e.in(dep.operation());
      }
      long[] lengths = writer.writePartitionedFile(tmpData);
      long[] committed = task.env().shuffleResolver().commit(dep.shuffleId(), mapIndex, tmpData, lengths);
      task.metrics().addShuffleWrite(writer.recordsWritten(), tmpDataLength(lengths));
      return committed;
    }
  }

  private static long tmpDataLength(long[] lengths) {
    long total = 0;
    for (long l : lengths) {
      total += l;
    }
    return total;
  }
}
