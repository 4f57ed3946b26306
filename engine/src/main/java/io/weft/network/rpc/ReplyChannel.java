package io.weft.network.rpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultFileRegion;
import io.weft.network.protocol.Envelope;
import io.weft.network.protocol.ErrorReply;
import io.weft.network.protocol.FrameCodec;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way back to the peer for one received message: at most one reply (a message, an error or
 * a file segment) per request. Replies to a one-way message are dropped, so handlers need not
 * care how a message was sent.
 *
 * <p>Thread-safe: may be used from any thread, any time after {@code receive} returned; Netty
 * queues the write onto the connection's event loop. A second reply is ignored with a warning.
 */
public final class ReplyChannel {
  private static final Logger LOG = LoggerFactory.getLogger(ReplyChannel.class);

  private final TransportConnection connection;
  private final long requestId;
  private final AtomicBoolean replied = new AtomicBoolean();

  ReplyChannel(TransportConnection connection, long requestId) {
    this.connection = connection;
    this.requestId = requestId;
  }

  /** The connection the message came on: to send the peer further messages, or to tag it. */
  public TransportConnection connection() {
    return connection;
  }

  public boolean expectsReply() {
    return requestId != 0;
  }

  public void reply(Object body) {
    if (claim()) {
      connection.channel().writeAndFlush(new Envelope(requestId, true, body));
    }
  }

  public void replyError(String message) {
    reply(new ErrorReply(message));
  }

  /**
   * Answers with {@code length} bytes of {@code file} from {@code offset}, sent zero-copy (the
   * kernel moves them from the page cache to the socket). Fails with an error reply when the
   * file cannot be opened or the segment does not fit one frame. A failure in the middle of the
   * transfer closes the connection, since the peer cannot resynchronise on a half-sent frame.
   */
  public void replyFileSegment(File file, long offset, long length) {
    if (length > FrameCodec.maxBlockLength()) {
      replyError("block of " + length + " bytes is larger than one frame can carry");
      return;
    }
    if (length == 0) {
      if (claim()) {
        connection.channel().writeAndFlush(
            FrameCodec.blockHeader(connection.channel().alloc().buffer(13), requestId, 0));
      }
      return;
    }
    FileChannel fc;
    try {
      // opened here, not lazily by Netty, so a vanished file is an error reply, not a broken stream
      fc = FileChannel.open(file.toPath(), StandardOpenOption.READ);
    } catch (IOException e) {
      replyError("cannot open " + file + ": " + e);
      return;
    }
    if (!claim()) {
      closeQuietly(fc);
      return;
    }
    Channel ch = connection.channel();
    Runnable writeBoth = () -> {
      ch.write(FrameCodec.blockHeader(ch.alloc().buffer(13), requestId, length));
      ch.writeAndFlush(new DefaultFileRegion(fc, offset, length)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    };
    // Header and bytes must be adjacent on the wire. Writes from another thread are queued as
    // separate tasks, so another thread's reply could slip between them: write both from one
    // event-loop task instead.
    if (ch.eventLoop().inEventLoop()) {
      writeBoth.run();
    } else {
      ch.eventLoop().execute(writeBoth);
    }
  }

  private boolean claim() {
    if (!expectsReply()) {
      return false;
    }
    if (!replied.compareAndSet(false, true)) {
      LOG.warn("second reply to request {} on {} ignored", requestId, connection);
      return false;
    }
    return true;
  }

  private static void closeQuietly(FileChannel fc) {
    try {
      fc.close();
    } catch (IOException ignored) {
      // nothing was sent; the reply already went elsewhere
    }
  }
}
