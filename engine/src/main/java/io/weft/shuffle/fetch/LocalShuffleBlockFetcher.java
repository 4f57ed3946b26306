package io.weft.shuffle.fetch;

import io.weft.shuffle.FetchFailedException;
import io.weft.shuffle.MapOutputLocation;
import io.weft.storage.LocalDirs;
import io.weft.util.BoundedInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;

/**
 * Reads shuffle blocks from this executor's own shuffle files: looks up the block's offsets in
 * the map output's index file and returns a bounded stream over that range of the data file.
 * Used in local mode for every block, and by the network fetcher as the short-circuit for
 * blocks written on the same executor.
 *
 * <p>Failure handling: a missing index or data file, an index that does not cover the
 * partition, or a data file shorter than the index says is a {@link FetchFailedException}
 * naming the file (the map output is lost and must be recomputed). A file that shrinks while it
 * is read fails the read with a {@code StreamCorruptedException}.
 *
 * <p>Thread-safe: no state besides the directory.
 */
public final class LocalShuffleBlockFetcher implements ShuffleBlockFetcher {
  private final LocalDirs dirs;

  public LocalShuffleBlockFetcher(LocalDirs dirs) {
    this.dirs = dirs;
  }

  @Override
  public InputStream open(MapOutputLocation location, int shuffleId, int mapIndex, int reduceId) {
    File index = dirs.shuffleIndexFile(shuffleId, mapIndex);
    File data = dirs.shuffleDataFile(shuffleId, mapIndex);
    long start;
    long end;
    try (RandomAccessFile in = new RandomAccessFile(index, "r")) {
      if (in.length() < (reduceId + 2L) * 8) {
        throw failure(location, shuffleId, mapIndex, reduceId,
            "index file " + index + " has " + in.length() + " bytes, too short for reduce partition " + reduceId, null);
      }
      in.seek(reduceId * 8L);
      start = in.readLong();
      end = in.readLong();
    } catch (IOException e) {
      throw failure(location, shuffleId, mapIndex, reduceId, "cannot read index file " + index + ": " + e, e);
    }
    if (start < 0 || end < start) {
      throw failure(location, shuffleId, mapIndex, reduceId, "corrupt index file " + index, null);
    }
    long dataLength = data.length(); // 0 when missing
    if (dataLength < end) {
      throw failure(location, shuffleId, mapIndex, reduceId, "data file " + data
          + (data.exists() ? " has " + dataLength + " bytes, index says at least " + end : " is missing"), null);
    }
    return openRange(location, shuffleId, mapIndex, reduceId, data, start, end - start);
  }

  private static InputStream openRange(MapOutputLocation location, int shuffleId, int mapIndex,
      int reduceId, File data, long start, long length) {
    if (length == 0) {
      return InputStream.nullInputStream();
    }
    FileInputStream in = null;
    try {
      in = new FileInputStream(data);
      in.getChannel().position(start);
      return new BoundedInputStream(in, length, true, "shuffle block " + reduceId + " of " + data);
    } catch (IOException e) {
      closeQuietly(in);
      throw failure(location, shuffleId, mapIndex, reduceId, "cannot read data file " + data + ": " + e, e);
    }
  }

  private static FetchFailedException failure(MapOutputLocation location, int shuffleId, int mapIndex,
      int reduceId, String message, Throwable cause) {
    String executorId = location == null ? null : location.executorId();
    return new FetchFailedException(executorId, shuffleId, mapIndex, reduceId, message, cause);
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // already failing; the first error is the one to report
      }
    }
  }
}
