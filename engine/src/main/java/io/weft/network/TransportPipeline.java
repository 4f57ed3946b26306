package io.weft.network;

import io.netty.channel.ChannelPipeline;
import io.weft.network.protocol.FrameCodec;
import io.weft.network.rpc.RpcChannelHandler;
import io.weft.network.rpc.RpcHandler;
import io.weft.network.rpc.TransportConnection;
import java.util.concurrent.atomic.LongAdder;

/**
 * Assembles the handlers of an authenticated connection. Kept in one place so client and
 * server stay symmetric, and so it is obvious that nothing here runs before the handshake: the
 * auth handlers call {@link #addAuthenticatedHandlers} only after the peer proved the secret.
 */
final class TransportPipeline {
  private TransportPipeline() {}

  static void addAuthenticatedHandlers(ChannelPipeline p, TransportConnection connection,
      RpcHandler handler, LongAdder decodedFrames) {
    p.addLast("frameDecoder", new FrameCodec.Decoder(decodedFrames));
    p.addLast("frameEncoder", new FrameCodec.Encoder());
    p.addLast("rpc", new RpcChannelHandler(connection, handler));
  }
}
