package io.weft.shuffle.sort;

import io.weft.Pair;
import io.weft.UnsupportedKeyException;
import io.weft.TaskContext;
import io.weft.plan.Aggregator;
import io.weft.plan.ShuffleDependency;
import io.weft.storage.LocalDirs;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one map task's shuffle output: a data file holding every reduce partition's block one
 * after the other, and an index file of R+1 big-endian longs, the offset of each block and the
 * total length (block r is bytes [index[r], index[r+1]) of the data file).
 *
 * <p>With map-side combine the records go through an {@link ExternalSorter} with the shuffle's
 * aggregator (sorted by hash, or by the key ordering if there is one); otherwise they are only
 * grouped by partition, since the reduce side sorts and aggregates anyway.
 *
 * <p>Commit: both files are written under temporary names and renamed into place under a lock,
 * the way Spark's {@code IndexShuffleBlockResolver} does: if a complete, consistent output of
 * the same map task is already there (a speculative or retried attempt won), it is kept and
 * this attempt's files are dropped, so readers never see a torn file or a data file paired
 * with another attempt's index.
 *
 * <p>Threading: stateless; {@link #write} runs on the map task's thread and may run on several
 * at once (the commit lock is per JVM).
 * Failure handling: I/O errors are {@link UncheckedIOException}s naming the file; temporary
 * files are deleted on failure.
 */
public final class SortShuffleWriter {
  private static final Logger LOG = LoggerFactory.getLogger(SortShuffleWriter.class);
  private static final Object COMMIT_LOCK = new Object();

  /** Writes and commits map output {@code mapIndex} of {@code dep}; returns each block's length. */
  public <K, V, C> long[] write(ShuffleDependency<K, V, C> dep, int mapIndex,
      Iterator<Pair<K, V>> records, TaskContext task) {
    ExternalSorter<K, V, ?> sorter = dep.mapSideCombine()
        ? new ExternalSorter<K, V, C>(task, dep.aggregator(), dep.partitioner(), dep.keyOrdering(), dep.serializer())
        : new ExternalSorter<K, V, V>(task, (Aggregator<K, V, V>) null, dep.partitioner(), null, dep.serializer());
    LocalDirs dirs = task.env().localDirs();
    File tmpData = dirs.tempFile("shuffle_" + dep.shuffleId() + "_" + mapIndex + ".data");
    File tmpIndex = dirs.tempFile("shuffle_" + dep.shuffleId() + "_" + mapIndex + ".index");
    try {
      try {
        sorter.insertAll(records);
      } catch (UnsupportedKeyException e) {
        throw e.in(dep.operation());
      }
      long[] lengths = sorter.writePartitionedFile(tmpData);
      writeIndex(tmpIndex, lengths);
      long[] committed = commit(dirs.shuffleDataFile(dep.shuffleId(), mapIndex),
          dirs.shuffleIndexFile(dep.shuffleId(), mapIndex), tmpData, tmpIndex, lengths);
      task.metrics().addShuffleWrite(sorter.recordsWritten(), tmpDataLength(lengths));
      return committed;
    } finally {
      sorter.stop();
      deleteQuietly(tmpData);
      deleteQuietly(tmpIndex);
    }
  }

  private static long tmpDataLength(long[] lengths) {
    long total = 0;
    for (long l : lengths) {
      total += l;
    }
    return total;
  }

  private static void writeIndex(File file, long[] lengths) {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(file)))) {
      long offset = 0;
      out.writeLong(0);
      for (long length : lengths) {
        offset += length;
        out.writeLong(offset);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write shuffle index " + file, e);
    }
  }

  private static long[] commit(File data, File index, File tmpData, File tmpIndex, long[] lengths) {
    synchronized (COMMIT_LOCK) {
      long[] existing = readValidLengths(index, data, lengths.length);
      if (existing != null) {
        LOG.info("map output {} already committed by another attempt; keeping it", data.getName());
        return existing;
      }
      try {
        // index last: a reader that finds the index finds the matching data
        Files.move(tmpData.toPath(), data.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmpIndex.toPath(), index.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot commit shuffle output " + data, e);
      }
      return lengths;
    }
  }

  /** The block lengths of an existing output if its index and data agree, else null. */
  static long[] readValidLengths(File index, File data, int numPartitions) {
    if (!index.isFile() || !data.isFile() || index.length() != (numPartitions + 1L) * 8) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(index)))) {
      long[] lengths = new long[numPartitions];
      long offset = in.readLong();
      if (offset != 0) {
        return null;
      }
      for (int r = 0; r < numPartitions; r++) {
        long next = in.readLong();
        if (next < offset) {
          return null;
        }
        lengths[r] = next - offset;
        offset = next;
      }
      return offset == data.length() ? lengths : null;
    } catch (IOException e) {
      return null; // unreadable: treat as absent and overwrite
    }
  }

  private static void deleteQuietly(File f) {
    if (f.exists() && !f.delete()) {
      LOG.warn("could not delete temporary shuffle file {}", f);
    }
  }
}
