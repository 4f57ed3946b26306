package io.weft.network.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.MessageToByteEncoder;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Framing of everything after the handshake. Every frame is
 * {@code length:int32 | type:byte | payload}, where {@code length} counts the type byte and the
 * payload:
 *
 * <ul>
 *   <li>{@link #TYPE_MESSAGE}: the payload is one Avro-binary {@link Envelope};
 *   <li>{@link #TYPE_BLOCK}: {@code requestId:int64 | raw block bytes}; the server writes the
 *       bytes straight from the shuffle file (zero-copy), so they are not wrapped in Avro, and
 *       the client receives them piecewise (memory or a file, see {@code BlockReceiver}).
 * </ul>
 *
 * <p>These handlers are only ever added after {@code ServerAuthHandler}/{@code ClientAuthHandler}
 * succeeded: an unauthenticated peer never reaches a length field or an Avro decoder.
 *
 * <p>Threading: one instance of each handler per connection, on its event loop (Avro readers and
 * writers are reused, not shared).
 */
public final class FrameCodec {
  public static final byte TYPE_MESSAGE = 1;
  public static final byte TYPE_BLOCK = 2;
  /** Type byte plus request id: what precedes a block's bytes inside its frame. */
  public static final int BLOCK_HEADER_LENGTH = 1 + 8;
  /**
   * Largest frame: the length field is an int, so a block must stay under ~2 GiB. Peers are
   * authenticated by the time a length is read, so this is no defence against strangers.
   */
  public static final int MAX_FRAME_LENGTH = Integer.MAX_VALUE - 64;

  private FrameCodec() {}

  /** The 13 bytes written before a block's raw bytes: length, type and request id. */
  public static ByteBuf blockHeader(ByteBuf buf, long requestId, long blockLength) {
    return buf.writeInt((int) (BLOCK_HEADER_LENGTH + blockLength)).writeByte(TYPE_BLOCK).writeLong(requestId);
  }

  /** Largest block one frame can carry. */
  public static long maxBlockLength() {
    return MAX_FRAME_LENGTH - BLOCK_HEADER_LENGTH;
  }

  /** Writes {@link Envelope}s as message frames. */
  public static final class Encoder extends MessageToByteEncoder<Envelope> {
    private final SpecificDatumWriter<Envelope> writer = new SpecificDatumWriter<>(Envelope.class);
    private BinaryEncoder encoder;

    public Encoder() {
      super(Envelope.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Envelope msg, ByteBuf out) throws IOException {
      int start = out.writerIndex();
      out.writeInt(0).writeByte(TYPE_MESSAGE);
      ByteBufOutputStream stream = new ByteBufOutputStream(out);
      encoder = EncoderFactory.get().directBinaryEncoder(stream, encoder);
      writer.write(msg, encoder);
      encoder.flush();
      out.setInt(start, out.writerIndex() - start - 4);
    }
  }

  /**
   * Turns the byte stream into {@link Envelope}s and {@link BlockFrame}s. A message frame is
   * decoded once it has fully arrived; a block frame is passed on as a {@link BlockFrame.Start}
   * and then a {@link BlockFrame.Chunk} per read, so the receiver decides where the bytes go
   * (memory or a file) and a large block is never buffered here. An unknown type, a bad length
   * or an Avro error is an exception, and the connection's handler closes the connection.
   */
  public static final class Decoder extends ByteToMessageDecoder {
    private final SpecificDatumReader<Envelope> reader = new SpecificDatumReader<>(Envelope.class);
    private final LongAdder decoded;
    private BinaryDecoder decoder;
    private long blockRequestId;
    private long blockRemaining = -1; // -1: not inside a block frame

    /** {@code decoded} counts decoded frames (a server's statistics; tests check it). */
    public Decoder(LongAdder decoded) {
      this.decoded = decoded;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws IOException {
      while (true) {
        if (blockRemaining >= 0) {
          if (!readBlockBytes(in, out)) {
            return;
          }
          continue;
        }
        if (in.readableBytes() < 5) {
          return;
        }
        int length = in.getInt(in.readerIndex());
        byte type = in.getByte(in.readerIndex() + 4);
        if (length < 1) {
          throw new IOException("bad frame length " + length);
        }
        if (type == TYPE_MESSAGE) {
          if (in.readableBytes() < 4 + length) {
            return;
          }
          in.skipBytes(5);
          decoded.increment();
          ByteBuf payload = in.readSlice(length - 1);
          decoder = DecoderFactory.get().directBinaryDecoder(new ByteBufInputStream(payload), decoder);
          out.add(reader.read(null, decoder));
        } else if (type == TYPE_BLOCK) {
          if (length < BLOCK_HEADER_LENGTH) {
            throw new IOException("bad block frame length " + length);
          }
          if (in.readableBytes() < 4 + BLOCK_HEADER_LENGTH) {
            return;
          }
          in.skipBytes(5);
          decoded.increment();
          blockRequestId = in.readLong();
          blockRemaining = length - BLOCK_HEADER_LENGTH;
          out.add(new BlockFrame.Start(blockRequestId, blockRemaining));
          if (blockRemaining == 0) {
            blockRemaining = -1;
            out.add(new BlockFrame.Chunk(blockRequestId, Unpooled.EMPTY_BUFFER, true));
          }
        } else {
          throw new IOException("unknown frame type " + type);
        }
      }
    }

    /** Passes on what has arrived of the current block; false when more must be read first. */
    private boolean readBlockBytes(ByteBuf in, List<Object> out) {
      int n = (int) Math.min(blockRemaining, in.readableBytes());
      if (n == 0) {
        return false;
      }
      blockRemaining -= n;
      boolean last = blockRemaining == 0;
      out.add(new BlockFrame.Chunk(blockRequestId, in.readRetainedSlice(n), last));
      if (last) {
        blockRemaining = -1;
      }
      return true;
    }
  }
}
