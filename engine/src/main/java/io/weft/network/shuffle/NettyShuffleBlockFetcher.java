package io.weft.network.shuffle;

import io.weft.network.TransportClient;
import io.weft.network.TransportClientFactory;
import io.weft.shuffle.FetchFailedException;
import io.weft.shuffle.IndexShuffleBlockResolver;
import io.weft.shuffle.MapOutputLocation;
import io.weft.shuffle.fetch.LocalShuffleBlockFetcher;
import io.weft.shuffle.fetch.ShuffleBlockFetcher;
import io.weft.storage.LocalDirs;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The shuffle fetcher of an executor on a cluster: blocks this executor wrote are read straight
 * from its disk ({@link LocalShuffleBlockFetcher}); others are fetched from the writer's block
 * server over a pooled, authenticated connection, one request per block. {@link #request} sends
 * the request at once, so a reader can keep several blocks on their way (requests to one
 * executor share its connection and are answered in order).
 *
 * <p>A block is received whole before it is read: into memory up to
 * {@code weft.network.block.maxInMemory}, otherwise into a file under the executor's
 * {@code tmp/}. Closing the returned stream frees the buffer or deletes the file.
 *
 * <p>Failure handling: an unreachable or refusing peer, an error reply (missing file), a closed
 * connection or the request timeout ({@code weft.network.timeout}) become a
 * {@link FetchFailedException} naming the writer's executor, so the scheduler re-runs the map
 * task. An interrupt (a kill) is not a fetch failure: it is rethrown with the interrupt flag set.
 *
 * <p>Threading: called from task threads, which block in {@code await} until the block arrived.
 * Thread-safe.
 */
public final class NettyShuffleBlockFetcher implements ShuffleBlockFetcher {
  private final String localExecutorId;
  private final LocalDirs localDirs;
  private final LocalShuffleBlockFetcher local;
  private final TransportClientFactory clients;
  private final java.util.concurrent.atomic.AtomicLong remoteFetches = new java.util.concurrent.atomic.AtomicLong();

  /** Blocks fetched from other executors so far (the executor reports it when it stops). */
  public long remoteFetches() {
    return remoteFetches.get();
  }

  /**
   * @param localExecutorId this executor's id: blocks whose location names it are read locally
   * @param localDirs where blocks too large for memory are received
   * @param resolver this executor's shuffle files, for the blocks it wrote itself
   * @param clients the pool for block-server connections (its request timeout bounds a fetch)
   */
  public NettyShuffleBlockFetcher(String localExecutorId, LocalDirs localDirs, IndexShuffleBlockResolver resolver,
      TransportClientFactory clients) {
    this.localExecutorId = localExecutorId;
    this.localDirs = localDirs;
    this.local = new LocalShuffleBlockFetcher(resolver);
    this.clients = clients;
  }

  @Override
  public InputStream open(MapOutputLocation location, int shuffleId, int mapIndex, int reduceId) {
    return request(location, shuffleId, mapIndex, reduceId).await();
  }

  /**
   * Sends the request for a remote block now (the connection is made or reused on this thread);
   * a local block is opened only when awaited.
   */
  @Override
  public PendingBlock request(MapOutputLocation location, int shuffleId, int mapIndex, int reduceId) {
    if (localExecutorId.equals(location.executorId())) {
      return local.request(location, shuffleId, mapIndex, reduceId);
    }
    CompletableFuture<InputStream> arrival;
    try {
      remoteFetches.incrementAndGet();
      TransportClient client = clients.getClient(location.host(), location.port());
      arrival = client.fetchBlock(shuffleId, mapIndex, reduceId, () -> localDirs.tempFile("fetch"));
    } catch (Exception e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("interrupted while connecting to " + location.host(), e);
      }
      throw new FetchFailedException(location.executorId(), shuffleId, mapIndex, reduceId,
          "cannot connect to " + location.host() + ":" + location.port() + ": " + e, e);
    }
    return new PendingBlock() {
      @Override
      public InputStream await() {
        try {
          return arrival.get();
        } catch (InterruptedException e) {
          release();
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while fetching shuffle " + shuffleId + " map "
              + mapIndex + " reduce " + reduceId, e);
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          throw new FetchFailedException(location.executorId(), shuffleId, mapIndex, reduceId,
              "from " + location.host() + ":" + location.port() + ": " + cause, cause);
        }
      }

      @Override
      public void release() {
        arrival.whenComplete((in, e) -> closeQuietly(in));
      }
    };
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // an unread block: its buffer or file is all there was to free
      }
    }
  }
}
