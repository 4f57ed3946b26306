package io.weft.serialization;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;

/**
 * The byte source of {@link WeftSerializer}: an own buffer over an {@link InputStream}, the
 * mirror of {@link RecordOutput}. It reads ahead, so the underlying stream must hold nothing
 * but this serializer's output (shuffle blocks and spill segments are handed out as bounded
 * streams for that reason).
 *
 * <p>Failure handling: the end of the stream between records is reported by
 * {@link #atCleanEnd()}; an end inside a record is a {@link StreamCorruptedException} (not an
 * {@link EOFException}), so a truncated file is never mistaken for a short one.
 *
 * <p>Not thread-safe: one instance per deserialization stream.
 */
final class RecordInput {
  private final InputStream in;
  private final byte[] buf;
  private int pos;
  private int limit;
  private char[] chars = new char[64];

  RecordInput(InputStream in, int bufferSize) {
    this.in = in;
    this.buf = new byte[bufferSize];
  }

  /** True when the stream ended exactly at a record boundary. */
  boolean atCleanEnd() throws IOException {
    return pos == limit && !fill();
  }

  /** Reads more bytes after the buffered ones; false at the end of the stream. */
  private boolean fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n > 0) {
      limit += n;
      return true;
    }
    return false;
  }

  /** Makes {@code n <= buffer size} bytes available. */
  private void require(int n) throws IOException {
    while (limit - pos < n) {
      if (!fill()) {
        throw new StreamCorruptedException("stream ends inside a record (truncated file?)");
      }
    }
  }

  int readByte() throws IOException {
    if (pos == limit) {
      require(1);
    }
    return buf[pos++];
  }

  int readVarInt() throws IOException {
    int result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = readByte();
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new StreamCorruptedException("malformed varint");
  }

  long readVarLong() throws IOException {
    long result = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = readByte();
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new StreamCorruptedException("malformed varint");
  }

  short readShort() throws IOException {
    require(2);
    int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
    pos += 2;
    return (short) v;
  }

  int readInt() throws IOException {
    require(4);
    int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16)
        | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  long readLong() throws IOException {
    return ((long) readInt() << 32) | (readInt() & 0xFFFFFFFFL);
  }

  void readFully(byte[] dst, int off, int len) throws IOException {
    int buffered = Math.min(len, limit - pos);
    System.arraycopy(buf, pos, dst, off, buffered);
    pos += buffered;
    int done = buffered;
    while (done < len) {
      int n = in.read(dst, off + done, len - done);
      if (n < 0) {
        throw new StreamCorruptedException("stream ends inside a record (truncated file?)");
      }
      done += n;
    }
  }

  /** Reads what {@link RecordOutput#writeString} wrote. */
  String readString() throws IOException {
    int len = readVarInt();
    if (len < 0) {
      throw new StreamCorruptedException("negative string length " + len);
    }
    byte[] src;
    int off;
    if (len <= buf.length) {
      require(len);
      src = buf;
      off = pos;
      pos += len;
    } else {
      src = new byte[len]; // only for strings larger than the buffer
      off = 0;
      readFully(src, 0, len);
    }
    int end = off + len;
    int i = off;
    while (i < end && src[i] >= 0) {
      i++;
    }
    if (i == end) {
      return new String(src, off, len, StandardCharsets.ISO_8859_1); // ASCII: a plain copy
    }
    return decodeUtf8(src, off, end);
  }

  private String decodeUtf8(byte[] src, int off, int end) throws IOException {
    if (chars.length < end - off) {
      chars = new char[Math.max(end - off, chars.length * 2)];
    }
    int n = 0;
    int i = off;
    try {
      while (i < end) {
        int b = src[i++];
        if (b >= 0) {
          chars[n++] = (char) b;
        } else if ((b & 0xE0) == 0xC0) {
          chars[n++] = (char) (((b & 0x1F) << 6) | (src[i++] & 0x3F));
        } else if ((b & 0xF0) == 0xE0) {
          chars[n++] = (char) (((b & 0x0F) << 12) | ((src[i++] & 0x3F) << 6) | (src[i++] & 0x3F));
        } else if ((b & 0xF8) == 0xF0) {
          int cp = ((b & 0x07) << 18) | ((src[i++] & 0x3F) << 12) | ((src[i++] & 0x3F) << 6) | (src[i++] & 0x3F);
          chars[n++] = Character.highSurrogate(cp);
          chars[n++] = Character.lowSurrogate(cp);
        } else {
          throw new StreamCorruptedException("malformed UTF-8 byte " + (b & 0xFF));
        }
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new StreamCorruptedException("malformed UTF-8: sequence cut at the end of the string");
    }
    if (i != end) {
      throw new StreamCorruptedException("malformed UTF-8: sequence cut at the end of the string");
    }
    return new String(chars, 0, n);
  }

  void close() throws IOException {
    in.close();
  }
}
