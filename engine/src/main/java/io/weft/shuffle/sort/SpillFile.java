package io.weft.shuffle.sort;

import io.weft.Pair;
import io.weft.serialization.SerializerInstance;
import com.google.common.io.CountingInputStream;
import io.weft.util.BoundedInputStream;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Iterator;

/**
 * One sorted run that an {@link ExternalSorter} spilled: a file holding, for each partition in
 * order, an independent serialized stream of that partition's key-combiner pairs, plus the
 * byte length of each partition segment.
 *
 * <p>Reading: {@link #readPartition} must be called with increasing partitions; the reader
 * keeps one buffered stream open over the file and skips to each segment, so merging N spills
 * holds N open files, not N per partition. Not thread-safe. Read errors surface as
 * {@link UncheckedIOException} naming the file.
 */
final class SpillFile implements Closeable {
  private final File file;
  private final long[] partitionLengths;
  private final long[] offsets;
  private final int bufferSize;
  private CountingInputStream in;
  private int nextPartition;

  SpillFile(File file, long[] partitionLengths, int bufferSize) {
    this.file = file;
    this.partitionLengths = partitionLengths;
    this.bufferSize = bufferSize;
    this.offsets = new long[partitionLengths.length];
    for (int p = 1; p < offsets.length; p++) {
      offsets[p] = offsets[p - 1] + partitionLengths[p - 1];
    }
  }

  File file() {
    return file;
  }

  /** The records of partition {@code p}, read lazily; earlier partitions can no longer be read. */
  <K, C> Iterator<Pair<K, C>> readPartition(int p, SerializerInstance serializer) {
    if (p < nextPartition) {
      throw new IllegalStateException("spill " + file + " read out of order: partition " + p);
    }
    nextPartition = p + 1;
    long offset = offsets[p];
    long length = partitionLengths[p];
    if (length == 0) {
      return Collections.emptyIterator();
    }
    try {
      if (in == null) {
        in = new CountingInputStream(new BufferedInputStream(new FileInputStream(file), bufferSize));
      }
      // a partition that was not read to its end leaves the stream behind the next segment
      skipFully(offset - in.getCount());
      InputStream segment = new BoundedInputStream(in, length, false, "spill " + file + " partition " + p);
      return serializer.deserializeStream(segment).asKeyValueIterator();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spill file " + file, e);
    }
  }

  private void skipFully(long n) throws IOException {
    while (n > 0) {
      long skipped = in.skip(n);
      if (skipped <= 0) {
        throw new IOException("spill file " + file + " is shorter than its index says");
      }
      n -= skipped;
    }
  }

  /** Closes the file; deleting it is the sorter's job. */
  @Override
  public void close() {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // read-only stream: nothing is lost
      }
      in = null;
    }
  }
}
