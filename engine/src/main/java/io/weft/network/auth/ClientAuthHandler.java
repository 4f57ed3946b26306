package io.weft.network.auth;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.weft.network.crypto.SessionKeys;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The only handler in a new outgoing connection's pipeline: runs the client side of
 * {@link AuthProtocol}. It waits for the server hello, answers with its nonce and proof, and
 * checks the server's proof, so a client never talks to a server that does not know the secret
 * either. On success it calls {@code onAuthenticated} (adds the codec and application handler),
 * removes itself and completes {@code result}.
 *
 * <p>Failure: bad magic, a wrong server proof, an exception, or the connection closing first
 * (which is how a server refuses a wrong secret) fail {@code result} with an
 * {@link AuthenticationException} and close the connection. The caller bounds the wait.
 *
 * <p>Threading: one instance per connection, used only on its channel's event loop.
 */
public final class ClientAuthHandler extends ByteToMessageDecoder {
  private final byte[] secret;
  private final boolean crypto;
  private final Consumer<ChannelPipeline> onAuthenticated;
  private final CompletableFuture<Void> result;
  private byte[] serverNonce;
  private byte[] clientNonce;

  /** {@code crypto}: this end's {@code weft.network.crypto.enabled}, which the server must share. */
  public ClientAuthHandler(byte[] secret, boolean crypto, Consumer<ChannelPipeline> onAuthenticated,
      CompletableFuture<Void> result) {
    this.secret = secret;
    this.crypto = crypto;
    this.onAuthenticated = onAuthenticated;
    this.result = result;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (result.isDone()) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (serverNonce == null) {
      if (in.readableBytes() < AuthProtocol.SERVER_HELLO_LENGTH) {
        return;
      }
      byte[] magic = new byte[AuthProtocol.MAGIC.length];
      in.readBytes(magic);
      if (!AuthProtocol.isMagic(magic)) {
        fail(ctx, "the server is not a Weft transport (bad magic)");
        return;
      }
      byte serverFlags = in.readByte();
      serverNonce = new byte[AuthProtocol.NONCE_LENGTH];
      in.readBytes(serverNonce);
      clientNonce = AuthProtocol.newNonce();
      ByteBuf proof = ctx.alloc().buffer(AuthProtocol.CLIENT_PROOF_LENGTH);
      proof.writeBytes(AuthProtocol.MAGIC).writeByte(AuthProtocol.flags(crypto)).writeBytes(clientNonce)
          .writeBytes(AuthProtocol.clientProof(secret, serverNonce, clientNonce));
      ctx.writeAndFlush(proof); // also on a mismatch: the server then logs it, naming the setting
      String mismatch = AuthProtocol.mismatch(crypto, serverFlags, "the server");
      if (mismatch != null) {
        fail(ctx, mismatch);
      }
      return;
    }
    if (in.readableBytes() < AuthProtocol.SERVER_PROOF_LENGTH) {
      return;
    }
    byte[] proof = new byte[AuthProtocol.MAC_LENGTH];
    in.readBytes(proof);
    if (!AuthProtocol.matches(AuthProtocol.serverProof(secret, serverNonce, clientNonce), proof)) {
      fail(ctx, "the server does not know the application secret");
      return;
    }
    ctx.channel().attr(SessionKeys.ATTRIBUTE).set(SessionKeys.derive(secret, serverNonce, clientNonce, true));
    onAuthenticated.accept(ctx.pipeline());
    // removing a ByteToMessageDecoder hands any bytes after the proof to the new codec
    ctx.pipeline().remove(this);
    result.complete(null);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, "error during authentication: " + cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    fail(ctx, "the server closed the connection during authentication "
        + "(wrong application secret, or not a Weft server)");
    super.channelInactive(ctx);
  }

  private void fail(ChannelHandlerContext ctx, String reason) {
    if (result.completeExceptionally(new AuthenticationException(
        "authentication with " + ctx.channel().remoteAddress() + " failed: " + reason))) {
      ctx.close();
    }
  }
}
