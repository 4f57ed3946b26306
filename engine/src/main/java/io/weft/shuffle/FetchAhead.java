package io.weft.shuffle;

import io.weft.shuffle.fetch.ShuffleBlockFetcher;
import io.weft.shuffle.fetch.ShuffleBlockFetcher.PendingBlock;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The blocks of a reduce task's partition range in read order, each requested from the fetcher
 * ahead of being read: requests stay outstanding until the next block to read is taken, while
 * their reported sizes sum to at most {@code maxBytesInFlight} and their number to at most
 * {@code maxBlocksInFlight}, and at least one is always requested, however large. Sizes are the
 * map side's (approximate for map outputs with many partitions), so the bound is approximate too.
 *
 * <p>Example: blocks of 20, 20, 20 and 5 MB with a 48 MB bound. Taking the first requests the
 * first two (40 MB; a third would make 60), hands over the first and, its 20 MB no longer in
 * flight, requests the third and fourth (20 + 20 + 5 = 45 MB in flight while the first is read).
 * A 100 MB block is requested alone, once nothing else is in flight. As with Spark's
 * {@code maxSizeInFlight}, the block being read is not counted.
 *
 * <p>Not thread-safe: one task thread. Failure handling: a request that cannot even be sent
 * throws its {@code FetchFailedException} from {@link #next}; {@link #releaseAll} gives up every
 * outstanding request (their buffers and files are freed when they arrive).
 */
final class FetchAhead {
  /** A block to read: its index in the task's {@link ShuffleBlocks} and its pending fetch. */
  record Next(int block, PendingBlock pending) {}

  private final ShuffleBlocks blocks;
  private final ShuffleBlockFetcher fetcher;
  private final long maxBytesInFlight;
  private final int maxBlocksInFlight;
  private final int[] order;
  private int nextToRequest;
  private int nextToRead;
  private final Deque<Next> requested = new ArrayDeque<>();
  private long bytesInFlight;

  FetchAhead(ShuffleBlocks blocks, int startPartition, int endPartition, ShuffleBlockFetcher fetcher,
      long maxBytesInFlight, int maxBlocksInFlight) {
    this.blocks = blocks;
    this.fetcher = fetcher;
    this.maxBytesInFlight = maxBytesInFlight;
    this.maxBlocksInFlight = maxBlocksInFlight;
    int n = 0;
    int[] inRange = new int[blocks.blockCount()];
    for (int b = 0; b < blocks.blockCount(); b++) {
      int r = blocks.reduceId(b);
      if (r >= startPartition && r < endPartition) {
        inRange[n++] = b;
      }
    }
    this.order = java.util.Arrays.copyOf(inRange, n);
  }

  boolean hasNext() {
    return nextToRead < order.length;
  }

  /** The next block to read, already requested, with the blocks after it requested as room allows. */
  Next next() {
    if (!hasNext()) {
      throw new java.util.NoSuchElementException();
    }
    fill();
    Next taken = requested.poll();
    nextToRead++;
    bytesInFlight -= blocks.blockSize(taken.block());
    try {
      fill();
    } catch (RuntimeException e) {
      // a later block's request failed (its executor is unreachable): that is the failure to
      // report, and the block taken will not be read
      taken.pending().release();
      throw e;
    }
    return taken;
  }

  /** Requested blocks not yet handed out (for tests and metrics). */
  int outstanding() {
    return requested.size();
  }

  private void fill() {
    while (nextToRequest < order.length && requested.size() < maxBlocksInFlight) {
      int b = order[nextToRequest];
      long size = blocks.blockSize(b);
      if (!requested.isEmpty() && bytesInFlight + size > maxBytesInFlight) {
        return;
      }
      PendingBlock pending = fetcher.request(blocks.location(b), blocks.shuffleId(), blocks.mapIndex(b),
          blocks.reduceId(b));
      requested.add(new Next(b, pending));
      bytesInFlight += size;
      nextToRequest++;
    }
  }

  /** Gives up every requested block not handed out. Idempotent. */
  void releaseAll() {
    for (Next n; (n = requested.poll()) != null; ) {
      n.pending().release();
    }
    bytesInFlight = 0;
    nextToRequest = order.length;
  }
}
