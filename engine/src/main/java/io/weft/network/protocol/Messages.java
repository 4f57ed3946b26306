package io.weft.network.protocol;

import java.nio.ByteBuffer;

/**
 * Helpers for the wire messages themselves. The protocol layer speaks bytes and its Avro records
 * only; converting them to and from the engine's task records is the endpoints' business
 * ({@code io.weft.network.endpoint.TaskMessages}).
 *
 * <p>Stateless and thread-safe.
 */
public final class Messages {
  private Messages() {}

  /** The bytes of an Avro {@code bytes} field, without disturbing the buffer's position. */
  public static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
