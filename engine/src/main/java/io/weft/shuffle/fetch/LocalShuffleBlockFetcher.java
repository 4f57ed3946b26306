package io.weft.shuffle.fetch;

import io.weft.shuffle.FetchFailedException;
import io.weft.shuffle.IndexShuffleBlockResolver;
import io.weft.shuffle.IndexShuffleBlockResolver.BlockSegment;
import io.weft.shuffle.IndexShuffleBlockResolver.ShuffleIndexException;
import io.weft.shuffle.MapOutputLocation;
import io.weft.util.BoundedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads shuffle blocks from this executor's own shuffle files: the executor's
 * {@link IndexShuffleBlockResolver} says which range of which data file holds the block (from an
 * index parsed once per executor), and this returns a bounded stream over that range. Used in
 * local mode for every block, and by the network fetcher as the short-circuit for blocks written
 * on the same executor.
 *
 * <p>Failure handling: a missing index or data file, an index that does not cover the
 * partition, or a data file shorter than the index says is a {@link FetchFailedException}
 * naming the file (the map output is lost and must be recomputed). A file that shrinks while it
 * is read fails the read with a {@code StreamCorruptedException}.
 *
 * <p>Thread-safe: no state besides the resolver, which is thread-safe.
 */
public final class LocalShuffleBlockFetcher implements ShuffleBlockFetcher {
  private final IndexShuffleBlockResolver resolver;

  public LocalShuffleBlockFetcher(IndexShuffleBlockResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public InputStream open(MapOutputLocation location, int shuffleId, int mapIndex, int reduceId) {
    BlockSegment block;
    try {
      block = resolver.blockSegment(shuffleId, mapIndex, reduceId);
    } catch (ShuffleIndexException e) {
      throw failure(location, shuffleId, mapIndex, reduceId, e.getMessage(), e);
    }
    if (block.length() == 0) {
      return InputStream.nullInputStream();
    }
    FileInputStream in = null;
    try {
      in = new FileInputStream(block.file());
      in.getChannel().position(block.offset());
      return new BoundedInputStream(in, block.length(), true, "shuffle block " + reduceId + " of " + block.file());
    } catch (IOException e) {
      closeQuietly(in);
      throw failure(location, shuffleId, mapIndex, reduceId, "cannot read data file " + block.file() + ": " + e, e);
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
