package io.weft.network.crypto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.PromiseCombiner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.GeneralSecurityException;

/**
 * Wire encryption ({@code weft.network.crypto.enabled}): sits under the frame codec of an
 * authenticated connection and turns the byte stream into sealed records,
 * {@code length:int32 | AES-256-GCM(plaintext ≤ 64 KiB) | tag(16)} ({@link RecordCipher}). Frames
 * are cut into records regardless of their boundaries; the receiving {@code FrameCodec.Decoder}
 * reassembles the plaintext stream as it would from the socket.
 *
 * <p>Integrity comes with it: every record's tag covers its bytes and its position in the
 * stream, so an on-path attacker can neither read nor inject, alter, drop or reorder a record;
 * a bad record closes the connection.
 *
 * <p>Shuffle blocks are written as a {@link FileRegion} (zero-copy without crypto): here they are
 * read through the region into 64 KiB records instead, which costs a copy and the cipher; all of
 * a block's records are queued at once, as the region was.
 *
 * <p>Threading: one {@link Sealer} and one {@link Opener} per connection, on its event loop.
 */
public final class CryptoCodec {
  /** Plaintext bytes per record. */
  static final int RECORD_PLAINTEXT = 64 * 1024;

  private CryptoCodec() {}

  /** Outbound: seals every {@link ByteBuf} and {@link FileRegion} written below the frame encoder. */
  public static final class Sealer extends ChannelOutboundHandlerAdapter {
    private final RecordCipher cipher;
    private final byte[] chunk = new byte[RECORD_PLAINTEXT];

    public Sealer(SessionKeys keys) {
      this.cipher = new RecordCipher(keys.sendKey(), true);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
      PromiseCombiner all = new PromiseCombiner(ctx.executor());
      try {
        if (msg instanceof ByteBuf buf) {
          while (buf.isReadable()) {
            int n = Math.min(chunk.length, buf.readableBytes());
            buf.readBytes(chunk, 0, n);
            all.add(ctx.write(record(n)));
          }
        } else if (msg instanceof FileRegion region) {
          ChunkChannel target = new ChunkChannel();
          while (region.transferred() < region.count()) {
            target.filled = 0;
            if (region.transferTo(target, region.transferred()) <= 0 && target.filled == 0) {
              throw new IOException("the shuffle file ended before its region did");
            }
            all.add(ctx.write(record(target.filled)));
          }
        } else {
          ctx.write(msg, promise);
          return;
        }
      } finally {
        io.netty.util.ReferenceCountUtil.release(msg);
      }
      all.finish(promise);
    }

    private ByteBuf record(int n) throws GeneralSecurityException {
      byte[] sealed = cipher.seal(chunk, 0, n);
      ByteBuf out = Unpooled.buffer(4 + sealed.length);
      return out.writeInt(sealed.length).writeBytes(sealed);
    }

    /** Receives at most one record's worth from {@link FileRegion#transferTo} into {@link #chunk}. */
    private final class ChunkChannel implements WritableByteChannel {
      int filled;

      @Override
      public int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), chunk.length - filled);
        src.get(chunk, filled, n);
        filled += n;
        return n;
      }

      @Override
      public boolean isOpen() {
        return true;
      }

      @Override
      public void close() {}
    }
  }

  /** Inbound: reads one sealed record at a time and passes its plaintext on. */
  public static final class Opener extends LengthFieldBasedFrameDecoder {
    private final RecordCipher cipher;

    public Opener(SessionKeys keys) {
      super(4 + RECORD_PLAINTEXT + RecordCipher.TAG_BYTES, 0, 4, 0, 4);
      this.cipher = new RecordCipher(keys.receiveKey(), false);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
      ByteBuf frame = (ByteBuf) super.decode(ctx, in);
      if (frame == null) {
        return null;
      }
      try {
        byte[] sealed = new byte[frame.readableBytes()];
        frame.readBytes(sealed);
        return Unpooled.wrappedBuffer(cipher.open(sealed, 0, sealed.length));
      } catch (GeneralSecurityException e) {
        throw new DecoderException("a record from " + ctx.channel().remoteAddress() + " failed decryption "
            + "(altered or injected on the way)", e);
      } finally {
        frame.release();
      }
    }
  }
}
