package io.weft.network.auth;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import io.weft.network.crypto.SessionKeys;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only handler in a freshly accepted connection's pipeline: runs the server side of
 * {@link AuthProtocol}. It sends the server hello, waits for exactly one client proof, verifies
 * it, and only then calls {@code onAuthenticated} (which adds the message codec and the
 * application handler) and removes itself. Until then no byte reaches any decoder.
 *
 * <p>Refusal: bad magic (checked after four bytes), a wrong proof, a client whose
 * {@code weft.network.crypto.enabled} differs (after a right proof), more bytes than the proof,
 * an exception, or no proof within {@code timeoutMs} close the connection; each refusal is
 * logged at WARN with the remote address and counted. The peer gets no reason.
 *
 * <p>Threading: one instance per connection, used only on its channel's event loop.
 */
public final class ServerAuthHandler extends ByteToMessageDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(ServerAuthHandler.class);

  private final byte[] secret;
  private final boolean crypto;
  private final long timeoutMs;
  private final Consumer<ChannelPipeline> onAuthenticated;
  private final LongAdder refused;
  private final byte[] serverNonce = AuthProtocol.newNonce();
  private ScheduledFuture<?> timeout;
  private boolean finished;

  /**
   * {@code secret} is not copied: the server owns it and never changes it. {@code crypto}: this
   * end's {@code weft.network.crypto.enabled}, which the client must share.
   */
  public ServerAuthHandler(byte[] secret, boolean crypto, long timeoutMs, Consumer<ChannelPipeline> onAuthenticated,
      LongAdder refused) {
    this.secret = secret;
    this.crypto = crypto;
    this.timeoutMs = timeoutMs;
    this.onAuthenticated = onAuthenticated;
    this.refused = refused;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    timeout = ctx.executor().schedule(
        () -> refuse(ctx, "no authentication within " + timeoutMs + " ms"), timeoutMs, TimeUnit.MILLISECONDS);
    ByteBuf hello = ctx.alloc().buffer(AuthProtocol.SERVER_HELLO_LENGTH);
    hello.writeBytes(AuthProtocol.MAGIC).writeByte(AuthProtocol.flags(crypto)).writeBytes(serverNonce);
    ctx.writeAndFlush(hello);
    super.channelActive(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (finished) {
      in.skipBytes(in.readableBytes()); // refused: whatever else arrives is dropped unread
      return;
    }
    if (in.readableBytes() >= AuthProtocol.MAGIC.length) {
      byte[] magic = new byte[AuthProtocol.MAGIC.length];
      in.getBytes(in.readerIndex(), magic);
      if (!AuthProtocol.isMagic(magic)) {
        refuse(ctx, "not a Weft handshake (bad magic)");
        in.skipBytes(in.readableBytes());
        return;
      }
    }
    if (in.readableBytes() < AuthProtocol.CLIENT_PROOF_LENGTH) {
      return;
    }
    if (in.readableBytes() > AuthProtocol.CLIENT_PROOF_LENGTH) {
      // a real client waits for the server's proof before it sends anything else
      refuse(ctx, "sent data before the handshake finished");
      in.skipBytes(in.readableBytes());
      return;
    }
    in.skipBytes(AuthProtocol.MAGIC.length);
    byte clientFlags = in.readByte();
    byte[] clientNonce = new byte[AuthProtocol.NONCE_LENGTH];
    byte[] proof = new byte[AuthProtocol.MAC_LENGTH];
    in.readBytes(clientNonce).readBytes(proof);
    if (!AuthProtocol.matches(AuthProtocol.clientProof(secret, serverNonce, clientNonce), proof)) {
      refuse(ctx, "wrong secret");
      return;
    }
    String mismatch = AuthProtocol.mismatch(crypto, clientFlags, "the client");
    if (mismatch != null) { // after the proof: only a peer that knows the secret learns nothing more
      refuse(ctx, mismatch);
      return;
    }
    finished = true;
    timeout.cancel(false);
    ctx.channel().attr(SessionKeys.ATTRIBUTE).set(SessionKeys.derive(secret, serverNonce, clientNonce, false));
    // the codec goes in before our proof leaves, so the client's first message finds it
    onAuthenticated.accept(ctx.pipeline());
    ByteBuf answer = ctx.alloc().buffer(AuthProtocol.SERVER_PROOF_LENGTH);
    answer.writeBytes(AuthProtocol.serverProof(secret, serverNonce, clientNonce));
    ctx.writeAndFlush(answer);
    ctx.pipeline().remove(this);
    LOG.debug("authenticated connection from {}", ctx.channel().remoteAddress());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    refuse(ctx, "error during authentication: " + cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (!finished) {
      refuse(ctx, "closed the connection before authenticating");
    }
    super.channelInactive(ctx);
  }

  private void refuse(ChannelHandlerContext ctx, String reason) {
    if (finished) {
      return;
    }
    finished = true;
    if (timeout != null) {
      timeout.cancel(false);
    }
    refused.increment();
    LOG.warn("Refused connection from {}: {}", ctx.channel().remoteAddress(), reason);
    ctx.close();
  }
}
