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
}
