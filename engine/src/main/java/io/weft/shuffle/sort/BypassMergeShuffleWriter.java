package io.weft.shuffle.sort;

import io.weft.Pair;
import io.weft.Partitioner;
import io.weft.TaskContext;
import io.weft.config.ShuffleOptions;
import io.weft.serialization.SerializationStream;
import io.weft.serialization.SerializerInstance;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The map side of a shuffle that neither combines nor orders, with few reduce partitions: each
 * record is serialized as it arrives into its partition's own temporary file, and the files are
 * then concatenated into the map output's data file, as Spark's
 * {@code BypassMergeSortShuffleWriter} does. Nothing is buffered as objects, so there is no size
 * estimate, no grouping pass and no spill; profiles of the Join example put a fifth of its time
 * in writing records that had been held in memory since insertion (cache misses on every string).
 *
 * <p>The data file's layout is the one {@link ExternalSorter#writePartitionedFile} writes: each
 * partition's bytes are an independent serialized stream (an empty partition has no bytes, not
 * even a stream header), so readers do not know which writer ran.
 *
 * <p>Threading: one task thread. Failure handling: I/O errors are {@link UncheckedIOException}s
 * naming the file; the per-partition files are deleted by {@link #close()} in every case.
 */
final class BypassMergeShuffleWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BypassMergeShuffleWriter.class);

  private final TaskContext task;
  private final Partitioner partitioner;
  private final SerializerInstance serializer;
  private final int fileBufferSize;
  private final File[] files;
  private final OutputStream[] outs;
  private final SerializationStream[] streams;
  private long recordsWritten;

  BypassMergeShuffleWriter(TaskContext task, Partitioner partitioner, SerializerInstance serializer) {
    this.task = task;
    this.partitioner = partitioner;
    this.serializer = serializer;
    this.fileBufferSize = (int) (long) task.env().conf().get(ShuffleOptions.FILE_BUFFER);
    int n = partitioner.numPartitions();
    this.files = new File[n];
    this.outs = new OutputStream[n];
    this.streams = new SerializationStream[n];
  }

  /** Whether a shuffle of {@code numPartitions} without map-side combine may be written this way. */
  static boolean applies(TaskContext task, int numPartitions) {
    return numPartitions <= task.env().conf().get(ShuffleOptions.BYPASS_MERGE_THRESHOLD);
  }

  /** Serializes every record into its partition's file. */
  <K, V> void writeAll(Iterator<Pair<K, V>> records) {
    while (records.hasNext()) {
      Pair<K, V> r = records.next();
      int p = partitioner.partitionFor(r.key());
      try {
        stream(p).writeKeyValue(r.key(), r.value());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write shuffle partition file " + files[p], e);
      }
      recordsWritten++;
    }
  }

  /** Partition {@code p}'s stream, opened (with its file) on its first record. */
  private SerializationStream stream(int p) throws IOException {
    SerializationStream s = streams[p];
    if (s == null) {
      files[p] = task.env().localDirs().tempFile("shuffle-partition");
      outs[p] = new BufferedOutputStream(new FileOutputStream(files[p]), fileBufferSize);
      s = serializer.serializeStream(outs[p]);
      streams[p] = s;
    }
    return s;
  }

  /** Closes the partition files and concatenates them into {@code out}; returns each one's length. */
  long[] writePartitionedFile(File out) {
    long[] lengths = new long[files.length];
    for (int p = 0; p < files.length; p++) {
      if (streams[p] != null) {
        try {
          streams[p].close();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write shuffle partition file " + files[p], e);
        }
        streams[p] = null;
        outs[p] = null;
      }
    }
    try (FileChannel target = FileChannel.open(out.toPath(), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      for (int p = 0; p < files.length; p++) {
        if (files[p] != null) {
          lengths[p] = append(files[p], target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write shuffle output " + out, e);
    }
    return lengths;
  }

  private static long append(File from, FileChannel target) throws IOException {
    try (FileChannel source = FileChannel.open(from.toPath(), StandardOpenOption.READ)) {
      long size = source.size();
      for (long done = 0; done < size; ) {
        done += source.transferTo(done, size - done, target);
      }
      return size;
    }
  }

  long recordsWritten() {
    return recordsWritten;
  }

  /** Closes and deletes the partition files. Idempotent. */
  @Override
  public void close() {
    for (int p = 0; p < files.length; p++) {
      if (outs[p] != null) {
        try {
          outs[p].close();
        } catch (IOException e) {
          LOG.debug("closing shuffle partition file {} after a failure", files[p], e);
        }
        outs[p] = null;
        streams[p] = null;
      }
      if (files[p] != null && !files[p].delete() && files[p].exists()) {
        LOG.warn("could not delete shuffle partition file {}", files[p]);
      }
      files[p] = null;
    }
  }
}
