package io.weft.serialization;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The byte sink of {@link WeftSerializer}: an own buffer over an {@link OutputStream}, with
 * varints and a UTF-8 string writer. It replaces {@code DataOutputStream} over a
 * {@code BufferedOutputStream} because both of those go through synchronized or virtual
 * per-byte calls, and this is the inner loop of every shuffle write.
 *
 * <p>Not thread-safe: one instance per serialization stream. I/O errors are thrown as they come.
 */
final class RecordOutput {
  private final OutputStream out;
  private final byte[] buf;
  private int pos;

  RecordOutput(OutputStream out, int bufferSize) {
    this.out = out;
    this.buf = new byte[bufferSize];
  }

  /** Makes room for {@code n <= buffer size} bytes. */
  private void require(int n) throws IOException {
    if (pos + n > buf.length) {
      flushBuffer();
    }
  }

  private void flushBuffer() throws IOException {
    if (pos > 0) {
      out.write(buf, 0, pos);
      pos = 0;
    }
  }

  void writeByte(int b) throws IOException {
    if (pos == buf.length) {
      flushBuffer();
    }
    buf[pos++] = (byte) b;
  }

  /** Unsigned LEB128: 1 byte below 128, at most 5. */
  void writeVarInt(int v) throws IOException {
    require(5);
    while ((v & ~0x7F) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  void writeVarLong(long v) throws IOException {
    require(10);
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  void writeShort(int v) throws IOException {
    require(2);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  void writeInt(int v) throws IOException {
    require(4);
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  void writeLong(long v) throws IOException {
    writeInt((int) (v >>> 32));
    writeInt((int) v);
  }

  void writeBytes(byte[] b, int off, int len) throws IOException {
    if (len > buf.length - pos) {
      flushBuffer();
      if (len > buf.length) {
        out.write(b, off, len); // too big to be worth copying through the buffer
        return;
      }
    }
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
  }

  /**
   * Writes the UTF-8 byte length as a varint, then the bytes. Unpaired surrogates are encoded
   * as three-byte sequences (WTF-8) instead of being replaced by '?', so every Java string
   * round-trips exactly; for valid text the bytes are plain UTF-8.
   */
  @SuppressWarnings("deprecation")
  void writeString(String s) throws IOException {
    int chars = s.length();
    int bytes = utf8Length(s, chars);
    writeVarInt(bytes);
    if (bytes == chars) {
      // ASCII: the deprecated getBytes copies the low byte of each char, which for a compact
      // (Latin-1) string is an array copy; no encoder, no temporary array
      int done = 0;
      while (done < chars) {
        if (pos == buf.length) {
          flushBuffer();
        }
        int n = Math.min(chars - done, buf.length - pos);
        s.getBytes(done, done + n, buf, pos);
        pos += n;
        done += n;
      }
      return;
    }
    for (int i = 0; i < chars; i++) {
      char c = s.charAt(i);
      require(4);
      if (c < 0x80) {
        buf[pos++] = (byte) c;
      } else if (c < 0x800) {
        buf[pos++] = (byte) (0xC0 | (c >> 6));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        buf[pos++] = (byte) (0xF0 | (cp >> 18));
        buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        buf[pos++] = (byte) (0xE0 | (c >> 12));
        buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
  }

  static int utf8Length(String s, int chars) {
    int bytes = chars;
    for (int i = 0; i < chars; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(s.charAt(i + 1))) {
          bytes += 2; // 4 bytes for 2 chars
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  void flush() throws IOException {
    flushBuffer();
    out.flush();
  }

  void close() throws IOException {
    try {
      flushBuffer();
    } finally {
      out.close();
    }
  }
}
