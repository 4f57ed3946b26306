package io.weft.network;

import io.netty.channel.ChannelPipeline;
import io.weft.network.crypto.CryptoCodec;
import io.weft.network.crypto.SessionKeys;
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
    addAuthenticatedHandlers(p, connection, handler, decodedFrames, false);
  }

  /**
   * With {@code encrypt}, the record layer ({@link CryptoCodec}) goes under the frame codec, keyed
   * by the keys the auth handler derived from this connection's handshake.
   */
  static void addAuthenticatedHandlers(ChannelPipeline p, TransportConnection connection,
      RpcHandler handler, LongAdder decodedFrames, boolean encrypt) {
    if (encrypt) {
      SessionKeys keys = p.channel().attr(SessionKeys.ATTRIBUTE).getAndSet(null);
      if (keys == null) {
        throw new IllegalStateException("no session keys: the handshake did not finish");
      }
      p.addLast("cryptoOpener", new CryptoCodec.Opener(keys));
      p.addLast("cryptoSealer", new CryptoCodec.Sealer(keys));
    } else {
      p.channel().attr(SessionKeys.ATTRIBUTE).set(null); // not needed: do not keep keys around
    }
    p.addLast("frameDecoder", new FrameCodec.Decoder(decodedFrames));
    p.addLast("frameEncoder", new FrameCodec.Encoder());
    p.addLast("rpc", new RpcChannelHandler(connection, handler));
  }
}
