package io.weft.util;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StreamCorruptedException;

/**
 * A view of the next {@code length} bytes of another stream: one shuffle block inside a data
 * file, one partition segment inside a spill. Unlike Guava's {@code ByteStreams.limit} it can
 * leave the underlying stream open on close, because a spill reader hands out one view per
 * partition over the same file stream.
 *
 * <p>Failure handling: if the underlying stream ends before {@code length} bytes, reading throws
 * a {@link StreamCorruptedException} naming {@code description}, since a short block is a
 * corrupt or truncated file, not an empty one. Not thread-safe.
 */
public final class BoundedInputStream extends FilterInputStream {
  private final boolean closeUnderlying;
  private final String description;
  private long remaining;

  public BoundedInputStream(InputStream in, long length, boolean closeUnderlying, String description) {
    super(in);
    this.remaining = length;
    this.closeUnderlying = closeUnderlying;
    this.description = description;
  }

  @Override
  public int read() throws IOException {
    if (remaining <= 0) {
      return -1;
    }
    int b = in.read();
    if (b < 0) {
      throw truncated();
    }
    remaining--;
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (remaining <= 0) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw truncated();
    }
    remaining -= n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(Math.min(n, remaining));
    remaining -= skipped;
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(in.available(), remaining);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private StreamCorruptedException truncated() {
    return new StreamCorruptedException(description + " ends " + remaining + " bytes early (truncated file?)");
  }

  @Override
  public void close() throws IOException {
    if (closeUnderlying) {
      in.close();
    }
  }
}
