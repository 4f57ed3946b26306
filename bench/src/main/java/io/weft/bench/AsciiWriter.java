package io.weft.bench;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A big byte buffer in front of an output stream, for ASCII-only records. The generators write
 * bytes rather than going through a {@link java.io.Writer}: character encoding would cost more
 * than generating the data, and 1 GB must take well under a minute. Counts what it wrote.
 *
 * <p>Not thread-safe; one per file.
 */
final class AsciiWriter implements Closeable {
  private static final int BUFFER_SIZE = 1 << 20;

  private final OutputStream out;
  private final byte[] buf = new byte[BUFFER_SIZE];
  private int pos;
  private long written;

  AsciiWriter(OutputStream out) {
    this.out = out;
  }

  void write(byte b) throws IOException {
    if (pos == buf.length) {
      flushBuffer();
    }
    buf[pos++] = b;
  }

  void write(byte[] bytes) throws IOException {
    if (pos + bytes.length > buf.length) {
      flushBuffer();
    }
    System.arraycopy(bytes, 0, buf, pos, bytes.length);
    pos += bytes.length;
  }

  /** Writes a non-negative number in decimal, without padding. */
  void writeDecimal(long n) throws IOException {
    if (pos + 20 > buf.length) {
      flushBuffer();
    }
    int start = pos;
    do {
      buf[pos++] = (byte) ('0' + n % 10);
      n /= 10;
    } while (n > 0);
    for (int i = start, j = pos - 1; i < j; i++, j--) {
      byte t = buf[i];
      buf[i] = buf[j];
      buf[j] = t;
    }
  }

  /** Bytes accepted so far, flushed or not. */
  long written() {
    return written + pos;
  }

  private void flushBuffer() throws IOException {
    out.write(buf, 0, pos);
    written += pos;
    pos = 0;
  }

  @Override
  public void close() throws IOException {
    try (out) {
      flushBuffer();
    }
  }
}
