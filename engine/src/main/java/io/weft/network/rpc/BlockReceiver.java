package io.weft.network.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import java.io.BufferedInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * Where the bytes of one incoming block go while they arrive: a buffer when the block is small,
 * a temporary file when it is larger than {@code weft.network.block.maxInMemory} (so a reducer
 * fetching a large block does not need that much memory), or nowhere when nobody waits for it
 * any more.
 *
 * <p>Threading: used only on the connection's event loop. Writing a large block's file there is
 * blocking disk I/O on a Netty thread; it is sequential, mostly absorbed by the page cache, and
 * only happens for large blocks, which is the trade Spark makes too.
 *
 * <p>Failure handling: a write error is an {@link IOException} for the caller, which fails the
 * fetch; {@link #discard} frees the buffer or deletes the file in every outcome but success.
 */
abstract class BlockReceiver {
  /** Copies {@code data}'s readable bytes; the caller still owns (and releases) {@code data}. */
  abstract void write(ByteBuf data) throws IOException;

  /** All bytes arrived: a stream over them, which frees the buffer or deletes the file on close. */
  abstract InputStream finish() throws IOException;

  /** Frees whatever was received; the block is not wanted or failed. */
  abstract void discard();

  static BlockReceiver create(long length, long maxInMemory, Supplier<File> spillFile,
      ByteBufAllocator alloc) throws IOException {
    if (length <= maxInMemory || spillFile == null) {
      return new InMemory(alloc.buffer((int) length));
    }
    return new ToFile(spillFile.get());
  }

  /** For a block whose asker gave up (timeout): its bytes are dropped as they come. */
  static BlockReceiver discarding() {
    return new BlockReceiver() {
      @Override
      void write(ByteBuf data) {}

      @Override
      InputStream finish() {
        return InputStream.nullInputStream();
      }

      @Override
      void discard() {}
    };
  }

  private static final class InMemory extends BlockReceiver {
    private final ByteBuf buffer;

    InMemory(ByteBuf buffer) {
      this.buffer = buffer;
    }

    @Override
    void write(ByteBuf data) {
      buffer.writeBytes(data, data.readerIndex(), data.readableBytes());
    }

    @Override
    InputStream finish() {
      return new ByteBufInputStream(buffer, true);
    }

    @Override
    void discard() {
      buffer.release();
    }
  }

  private static final class ToFile extends BlockReceiver {
    private final File file;
    private final FileChannel out;

    ToFile(File file) throws IOException {
      this.file = file;
      this.out = FileChannel.open(file.toPath(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    @Override
    void write(ByteBuf data) throws IOException {
      int index = data.readerIndex();
      int end = data.writerIndex();
      while (index < end) {
        index += data.getBytes(index, out, end - index);
      }
    }

    @Override
    InputStream finish() throws IOException {
      out.close();
      return new BufferedInputStream(new FileInputStream(file) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            file.delete();
          }
        }
      }, 64 * 1024);
    }

    @Override
    void discard() {
      try {
        out.close();
      } catch (IOException ignored) {
        // the file goes anyway
      }
      file.delete();
    }
  }
}
