package io.weft.network.rpc;

import io.netty.channel.Channel;
import io.weft.network.protocol.BlockFrame;
import io.weft.network.protocol.Envelope;
import io.weft.network.protocol.ErrorReply;
import io.weft.network.protocol.FetchBlock;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One authenticated connection, seen from either end: send one-way messages, ask and get a
 * future reply, fetch shuffle blocks. The driver keeps the connection each executor registered
 * on and pushes tasks down it; the executor keeps its client to the driver.
 *
 * <p>Threading: every method may be called from any thread. Replies complete futures on the
 * connection's event loop thread, so callbacks chained on them must not block; callers on their
 * own threads simply {@code get()}.
 *
 * <p>Failure handling: an ask fails with {@link RemoteRpcException} when the peer answers with
 * an error, with a {@link java.util.concurrent.TimeoutException} after the request timeout, and
 * with an {@link IOException} when the connection closes first (every pending ask fails then).
 */
public class TransportConnection {
  private static final AtomicLong NEXT_REQUEST_ID = new AtomicLong();

  private final Channel channel;
  private final Duration requestTimeout;
  private final long maxBlockInMemory;
  private final Map<Long, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();
  /** Where each pending block fetch may spill a large block. */
  private final Map<Long, Supplier<File>> spillFiles = new ConcurrentHashMap<>();
  /** Blocks being received; touched only on the event loop. */
  private final Map<Long, BlockReceiver> receiving = new HashMap<>();
  private volatile Object attachment;
  private volatile boolean closed;

  /**
   * @param maxBlockInMemory fetched blocks larger than this go to a spill file (when the fetch
   *     names one) instead of memory
   */
  public TransportConnection(Channel channel, Duration requestTimeout, long maxBlockInMemory) {
    this.channel = channel;
    this.requestTimeout = requestTimeout;
    this.maxBlockInMemory = maxBlockInMemory;
  }

  /** Sends {@code body} (an Avro message) without waiting for anything. */
  public void send(Object body) {
    channel.writeAndFlush(new Envelope(0L, false, body));
  }

  /** Sends {@code body} and returns the peer's reply, failing after the request timeout. */
  public CompletableFuture<Object> ask(Object body) {
    return request(body, null);
  }

  private CompletableFuture<Object> request(Object body, Supplier<File> spillFile) {
    long id = NEXT_REQUEST_ID.incrementAndGet();
    CompletableFuture<Object> future = new CompletableFuture<>();
    pending.put(id, future);
    if (spillFile != null) {
      spillFiles.put(id, spillFile);
    }
    future.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
      pending.remove(id);
      spillFiles.remove(id);
    });
    if (closed) {
      // closed before we registered: nobody else will fail this future
      future.completeExceptionally(closedException());
      return future;
    }
    channel.writeAndFlush(new Envelope(id, false, body)).addListener(f -> {
      if (!f.isSuccess()) {
        future.completeExceptionally(new IOException("cannot send to " + remoteAddress(), f.cause()));
      }
    });
    return future;
  }

  /** Like {@link #ask(Object)}, but a reply of another type fails the future with a {@link RemoteRpcException} naming both types. */
  public <T> CompletableFuture<T> ask(Object body, Class<T> replyType) {
    return ask(body).thenApply(r -> {
      if (!replyType.isInstance(r)) {
        throw new RemoteRpcException("expected " + replyType.getSimpleName() + " in reply to "
            + body.getClass().getSimpleName() + ", got " + r.getClass().getSimpleName());
      }
      return replyType.cast(r);
    });
  }

  /**
   * One shuffle block from the peer's block server, as a stream the caller must close. A block
   * larger than the in-memory limit is written to a file from {@code spillFile} as it arrives
   * (the stream deletes it on close); with {@code spillFile} null every block is held in
   * memory. A missing block fails with {@link RemoteRpcException}.
   */
  public CompletableFuture<InputStream> fetchBlock(int shuffleId, int mapIndex, int reduceId,
      Supplier<File> spillFile) {
    return request(new FetchBlock(shuffleId, mapIndex, reduceId), spillFile).thenApply(r -> {
      if (r instanceof InputStream in) {
        return in;
      }
      throw new RemoteRpcException("expected a block, got " + r.getClass().getSimpleName());
    });
  }

  public boolean isActive() {
    return channel.isActive() && !closed;
  }

  public SocketAddress remoteAddress() {
    return channel.remoteAddress();
  }

  /** Something the application associates with this connection (the driver: the executor id). */
  public Object attachment() {
    return attachment;
  }

  public void setAttachment(Object attachment) {
    this.attachment = attachment;
  }

  /** Closes the connection; pending asks fail. Returns without waiting. */
  public void close() {
    channel.close();
  }

  /** The Netty channel, for the transport's own handlers. */
  public Channel channel() {
    return channel;
  }

  @Override
  public String toString() {
    return "connection to " + remoteAddress();
  }

  /** A reply arrived: completes its ask, or drops it when the ask already timed out. */
  void complete(Envelope reply) {
    CompletableFuture<Object> f = pending.remove(reply.getRequestId());
    if (f == null) {
      return;
    }
    if (reply.getBody() instanceof ErrorReply err) {
      f.completeExceptionally(new RemoteRpcException(err.getMessage()));
    } else {
      f.complete(reply.getBody());
    }
  }

  /** A block's bytes begin to arrive: decides where they go. Event loop only. */
  void blockStarted(BlockFrame.Start start) {
    long id = start.requestId();
    CompletableFuture<Object> f = pending.get(id);
    BlockReceiver receiver = BlockReceiver.discarding();
    if (f != null && !f.isDone()) {
      try {
        receiver = BlockReceiver.create(start.length(), maxBlockInMemory, spillFiles.get(id), channel.alloc());
      } catch (IOException | RuntimeException e) {
        f.completeExceptionally(new IOException("cannot store a block of " + start.length() + " bytes: " + e, e));
      }
    }
    receiving.put(id, receiver);
  }

  /** Some of a block's bytes; the last chunk completes the fetch. Event loop only. */
  void blockChunk(BlockFrame.Chunk chunk) {
    long id = chunk.requestId();
    BlockReceiver receiver = receiving.get(id);
    try {
      if (receiver == null) {
        return; // a chunk without a start cannot happen; the decoder always sends one first
      }
      receiver.write(chunk.data());
      if (chunk.last()) {
        receiving.remove(id);
        deliver(id, receiver.finish());
      }
    } catch (IOException e) {
      receiver.discard();
      receiving.put(id, BlockReceiver.discarding());
      CompletableFuture<Object> f = pending.remove(id);
      if (f != null) {
        f.completeExceptionally(new IOException("cannot store block: " + e, e));
      }
      if (chunk.last()) {
        receiving.remove(id);
      }
    } finally {
      chunk.data().release();
    }
  }

  private void deliver(long id, InputStream block) {
    CompletableFuture<Object> f = pending.remove(id);
    if (f == null || !f.complete(block)) {
      try {
        block.close(); // nobody waits any more: free the buffer, delete the file
      } catch (IOException ignored) {
        // best effort
      }
    }
  }

  /** The channel closed: fails every pending ask, now and later. */
  void closed() {
    closed = true;
    for (BlockReceiver r : receiving.values()) {
      r.discard(); // half-received blocks: the peer will never finish them
    }
    receiving.clear();
    IOException e = closedException();
    for (Long id : pending.keySet()) {
      CompletableFuture<Object> f = pending.remove(id);
      if (f != null) {
        f.completeExceptionally(e);
      }
    }
  }

  private IOException closedException() {
    return new IOException("connection to " + remoteAddress() + " closed");
  }
}
