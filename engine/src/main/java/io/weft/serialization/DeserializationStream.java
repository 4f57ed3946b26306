package io.weft.serialization;

import io.weft.Pair;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** Reads back what a {@link SerializationStream} wrote. Closing it closes the underlying stream. */
public interface DeserializationStream extends Closeable {
  /** The next object; throws {@link EOFException} at a clean end of stream. */
  Object readObject() throws IOException;

  /** All remaining objects; the stream is closed when the iterator is exhausted. */
  default Iterator<Object> asIterator() {
    return new Iterator<>() {
      private Object next;
      private boolean done;
      private boolean ready;

      @Override
      public boolean hasNext() {
        if (!ready && !done) {
          try {
            next = readObject();
            ready = true;
          } catch (EOFException eof) {
            done = true;
            closeQuietly();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return ready;
      }

      @Override
      public Object next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ready = false;
        Object r = next;
        next = null;
        return r;
      }
    };
  }

  /** Pairs written with {@link SerializationStream#writeKeyValue}; closes the stream at the end. */
  @SuppressWarnings("unchecked")
  default <K, V> Iterator<Pair<K, V>> asKeyValueIterator() {
    Iterator<Object> objects = asIterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return objects.hasNext();
      }

      @Override
      public Pair<K, V> next() {
        K key = (K) objects.next();
        if (!objects.hasNext()) {
          throw new IllegalStateException("corrupt key-value stream: key without a value");
        }
        return new Pair<>(key, (V) objects.next());
      }
    };
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException ignored) {
      // end of stream reached; nothing left to lose
    }
  }
}
