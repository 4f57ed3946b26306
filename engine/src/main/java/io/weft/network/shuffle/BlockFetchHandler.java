package io.weft.network.shuffle;

import io.weft.network.protocol.FetchBlock;
import io.weft.network.rpc.ReplyChannel;
import io.weft.network.rpc.RpcHandler;
import io.weft.network.rpc.TransportConnection;
import io.weft.shuffle.IndexShuffleBlockResolver;
import io.weft.shuffle.IndexShuffleBlockResolver.BlockSegment;
import io.weft.shuffle.IndexShuffleBlockResolver.ShuffleIndexException;

/**
 * An executor's block server: answers {@link FetchBlock} with the block's bytes from this
 * executor's shuffle files and passes every other message to {@code delegate}.
 *
 * <p>A block is found by the executor's {@link IndexShuffleBlockResolver}, as for
 * {@link io.weft.shuffle.fetch.LocalShuffleBlockFetcher}; the segment is sent zero-copy
 * ({@link ReplyChannel#replyFileSegment}).
 *
 * <p>Failure handling: a missing or short index, a corrupt index, or a data file shorter than
 * the index says is an error reply naming the file; the fetching task turns it into a fetch
 * failure, which re-runs the map task.
 *
 * <p>Threading: runs on Netty threads. An index is parsed inline on a cache miss: a few KB, a
 * page-cache hit in practice (the map task just wrote it), read once per executor, and handing it
 * off would cost more than it saves; the bulk transfer is the kernel's.
 */
public final class BlockFetchHandler implements RpcHandler {
  private final IndexShuffleBlockResolver resolver;
  private final RpcHandler delegate;

  public BlockFetchHandler(IndexShuffleBlockResolver resolver, RpcHandler delegate) {
    this.resolver = resolver;
    this.delegate = delegate;
  }

  @Override
  public void receive(Object message, ReplyChannel reply) {
    if (message instanceof FetchBlock fetch) {
      serve(fetch, reply);
    } else {
      delegate.receive(message, reply);
    }
  }

  @Override
  public void connectionClosed(TransportConnection connection) {
    delegate.connectionClosed(connection);
  }

  private void serve(FetchBlock fetch, ReplyChannel reply) {
    BlockSegment block;
    try {
      block = resolver.blockSegment(fetch.getShuffleId(), fetch.getMapIndex(), fetch.getReduceId());
    } catch (ShuffleIndexException e) {
      reply.replyError(e.getMessage());
      return;
    }
    reply.replyFileSegment(block.file(), block.offset(), block.length());
  }
}
