package io.weft.network.rpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.weft.network.protocol.BlockFrame;
import io.weft.network.protocol.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an authenticated pipeline: routes replies and blocks to the asks waiting
 * for them, and requests and one-way messages to the application's {@link RpcHandler}.
 *
 * <p>Threading: runs on the connection's event loop. Failure handling: a handler that throws
 * gets its request answered with an error; a decoding or I/O error closes the connection (the
 * stream cannot be trusted after it), which fails every pending ask.
 */
public final class RpcChannelHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(RpcChannelHandler.class);

  private final TransportConnection connection;
  private final RpcHandler handler;

  public RpcChannelHandler(TransportConnection connection, RpcHandler handler) {
    this.connection = connection;
    this.handler = handler;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof BlockFrame.Start start) {
      connection.blockStarted(start);
    } else if (msg instanceof BlockFrame.Chunk chunk) {
      connection.blockChunk(chunk);
    } else if (msg instanceof Envelope env) {
      if (env.getReply()) {
        connection.complete(env);
      } else {
        dispatch(env);
      }
    } else {
      LOG.warn("dropping unexpected {} on {}", msg.getClass().getName(), connection);
    }
  }

  private void dispatch(Envelope env) {
    ReplyChannel reply = new ReplyChannel(connection, env.getRequestId());
    try {
      handler.receive(env.getBody(), reply);
    } catch (RuntimeException e) {
      LOG.warn("handler failed on {} from {}", env.getBody().getClass().getSimpleName(),
          connection.remoteAddress(), e);
      reply.replyError(e.toString());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    connection.closed();
    try {
      handler.connectionClosed(connection);
    } finally {
      super.channelInactive(ctx);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.warn("closing {} after an error: {}", connection, cause.toString());
    ctx.close();
  }
}
