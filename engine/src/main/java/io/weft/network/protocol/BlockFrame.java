package io.weft.network.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A block answer as the decoder hands it on, in pieces as the bytes arrive, so a large block
 * never has to sit whole in memory: one {@link Start}, then {@link Chunk}s until one is
 * {@code last}. The pieces of one block are never interleaved with other frames.
 */
public sealed interface BlockFrame {
  long requestId();

  /** A block of {@code length} bytes follows for request {@code requestId}. */
  record Start(long requestId, long length) implements BlockFrame {}

  /**
   * Some of the block's bytes. The receiver owns {@code data} and must release it. An empty
   * block is one empty, last chunk.
   */
  record Chunk(long requestId, ByteBuf data, boolean last) implements BlockFrame {}
}
