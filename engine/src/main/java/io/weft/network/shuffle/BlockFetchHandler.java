package io.weft.network.shuffle;

import io.weft.network.protocol.FetchBlock;
import io.weft.network.rpc.ReplyChannel;
import io.weft.network.rpc.RpcHandler;
import io.weft.network.rpc.TransportConnection;
import io.weft.storage.LocalDirs;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * An executor's block server: answers {@link FetchBlock} with the block's bytes from this
 * executor's shuffle files and passes every other message to {@code delegate}.
 *
 * <p>A block is found like {@link io.weft.shuffle.fetch.LocalShuffleBlockFetcher} finds it: the
 * index file holds R+1 big-endian longs, block r spans [offset r, offset r+1) of the data file.
 * The segment is sent zero-copy ({@link ReplyChannel#replyFileSegment}).
 *
 * <p>Failure handling: a missing or short index, a corrupt index, or a data file shorter than
 * the index says is an error reply naming the file; the fetching task turns it into a fetch
 * failure, which re-runs the map task.
 *
 * <p>Threading: runs on Netty threads. Reading 16 bytes of an index file is done inline: it is
 * a page-cache hit in practice (the map task just wrote it), and handing it off would cost more
 * than it saves; the bulk transfer is the kernel's.
 */
public final class BlockFetchHandler implements RpcHandler {
  private final LocalDirs dirs;
  private final RpcHandler delegate;

  public BlockFetchHandler(LocalDirs dirs, RpcHandler delegate) {
    this.dirs = dirs;
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
    int shuffleId = fetch.getShuffleId();
    int mapIndex = fetch.getMapIndex();
    int reduceId = fetch.getReduceId();
    File index = dirs.shuffleIndexFile(shuffleId, mapIndex);
    File data = dirs.shuffleDataFile(shuffleId, mapIndex);
    long start;
    long end;
    try (RandomAccessFile in = new RandomAccessFile(index, "r")) {
      if (reduceId < 0 || in.length() < (reduceId + 2L) * 8) {
        reply.replyError("index file " + index + " has " + in.length()
            + " bytes, too short for reduce partition " + reduceId);
        return;
      }
      in.seek(reduceId * 8L);
      start = in.readLong();
      end = in.readLong();
    } catch (IOException e) {
      reply.replyError("cannot read index file " + index + ": " + e);
      return;
    }
    if (start < 0 || end < start) {
      reply.replyError("corrupt index file " + index);
      return;
    }
    long dataLength = data.length(); // 0 when missing
    if (dataLength < end) {
      reply.replyError("data file " + data + (data.exists()
          ? " has " + dataLength + " bytes, index says at least " + end : " is missing"));
      return;
    }
    reply.replyFileSegment(data, start, end - start);
  }
}
