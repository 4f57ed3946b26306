package io.weft.network.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.MessageToMessageDecoder;
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
 *       bytes straight from the shuffle file (zero-copy), so they are not wrapped in Avro.
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
   * Largest frame. A block frame carries a whole shuffle block, so this bounds a block at ~2 GiB;
   * peers are authenticated by the time a length is read, so it is not a defence against strangers.
   */
  public static final int MAX_FRAME_LENGTH = Integer.MAX_VALUE - 64;

  private FrameCodec() {}

  /** Splits the byte stream into frames (length prefix stripped). */
  public static LengthFieldBasedFrameDecoder newFrameSplitter() {
    return new LengthFieldBasedFrameDecoder(MAX_FRAME_LENGTH, 0, 4, 0, 4);
  }

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
   * Turns frames into {@link Envelope}s and {@link BlockFrame}s. An unknown type or an Avro
   * error is an exception, and the connection's handler closes the connection.
   */
  public static final class Decoder extends MessageToMessageDecoder<ByteBuf> {
    private final SpecificDatumReader<Envelope> reader = new SpecificDatumReader<>(Envelope.class);
    private final LongAdder decoded;
    private BinaryDecoder decoder;

    /** {@code decoded} counts decoded frames (a server's statistics; tests check it). */
    public Decoder(LongAdder decoded) {
      super(ByteBuf.class);
      this.decoded = decoded;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) throws IOException {
      byte type = frame.readByte();
      decoded.increment();
      if (type == TYPE_MESSAGE) {
        decoder = DecoderFactory.get().directBinaryDecoder(new ByteBufInputStream(frame), decoder);
        out.add(reader.read(null, decoder));
      } else if (type == TYPE_BLOCK) {
        long requestId = frame.readLong();
        out.add(new BlockFrame(requestId, frame.retainedSlice()));
      } else {
        throw new IOException("unknown frame type " + type);
      }
    }
  }
}
