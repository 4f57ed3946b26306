package io.weft.shuffle.fetch;

import io.weft.shuffle.FetchFailedException;
import io.weft.shuffle.MapOutputLocation;
import java.io.InputStream;

/**
 * Opens one shuffle block: the bytes that map task {@code mapIndex} of shuffle {@code shuffleId}
 * wrote for reduce partition {@code reduceId}. Blocks on this executor are read straight from the
 * local file; others travel over the network (the YARN backend supplies that fetcher).
 *
 * <p>Called from task threads; implementations are thread-safe.
 */
public interface ShuffleBlockFetcher {
  /** The block's bytes (possibly empty); any failure is a {@link FetchFailedException}. */
  InputStream open(MapOutputLocation location, int shuffleId, int mapIndex, int reduceId)
      throws FetchFailedException;

  /**
   * Starts fetching a block the caller will read later, so that several can be on their way while
   * the caller deserializes another ({@code ShuffleReader} keeps up to
   * {@code weft.shuffle.maxBytesInFlight} requested). The default defers to {@link #open} when the
   * block is awaited: a local file costs nothing to open later and holds no descriptor meanwhile.
   * A fetcher whose blocks travel over the network sends the request now.
   */
  default PendingBlock request(MapOutputLocation location, int shuffleId, int mapIndex, int reduceId) {
    return new PendingBlock() {
      @Override
      public InputStream await() {
        return open(location, shuffleId, mapIndex, reduceId);
      }

      @Override
      public void release() {
        // nothing was opened
      }
    };
  }

  /**
   * A requested block. One thread (the reading task's) calls {@link #await} at most once and then
   * owns the stream, or calls {@link #release} instead when the task ends before reading it.
   */
  interface PendingBlock {
    /** Waits for the block; any failure is a {@link FetchFailedException}. */
    InputStream await() throws FetchFailedException;

    /** Gives the block up unread: frees its buffer or file whenever it arrives. */
    void release();
  }
}
