package io.weft.serialization;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;

/** Writes a sequence of objects. Closing it closes the underlying stream. */
public interface SerializationStream extends Closeable, Flushable {
  void writeObject(Object value) throws IOException;

  /** Writes a key and a value as two consecutive objects (the shuffle's record layout). */
  default void writeKeyValue(Object key, Object value) throws IOException {
    writeObject(key);
    writeObject(value);
  }
}
