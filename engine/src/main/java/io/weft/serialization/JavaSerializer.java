package io.weft.serialization;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;

/**
 * Plain Java serialization. Used for closures (task binaries: lineage plus user functions) and
 * as the record fallback. Classes resolve through the thread's context class loader, which on an
 * executor is the loader of the user's jars.
 */
public final class JavaSerializer implements Serializer {
  @Override
  public SerializerInstance newInstance() {
    return new Instance();
  }

  private static final class Instance implements SerializerInstance {
    @Override
    public SerializationStream serializeStream(OutputStream out) {
      try {
        ObjectOutputStream oos = new ObjectOutputStream(out);
        return new SerializationStream() {
          private int sinceReset;

          @Override
          public void writeObject(Object value) throws IOException {
            oos.writeObject(value);
            // the stream remembers every object it wrote; forget them now and then so a long
            // stream of records does not hold them all in memory
            if (++sinceReset >= 100) {
              oos.reset();
              sinceReset = 0;
            }
          }

          @Override
          public void flush() throws IOException {
            oos.flush();
          }

          @Override
          public void close() throws IOException {
            oos.close();
          }
        };
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public DeserializationStream deserializeStream(InputStream in) {
      try {
        ObjectInputStream ois = new ContextObjectInputStream(in);
        return new DeserializationStream() {
          @Override
          public Object readObject() throws IOException {
            try {
              return ois.readObject();
            } catch (ClassNotFoundException e) {
              throw new IOException("class not found while deserializing: " + e.getMessage(), e);
            }
          }

          @Override
          public void close() throws IOException {
            ois.close();
          }
        };
      } catch (EOFException e) {
        // an empty stream: nothing to read
        return new DeserializationStream() {
          @Override
          public Object readObject() throws IOException {
            throw new EOFException();
          }

          @Override
          public void close() throws IOException {
            in.close();
          }
        };
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /**
   * Resolves classes through the context class loader, falling back to this class's loader. Public
   * because {@link WeftSerializer} uses it for its Java-serialization fallback.
   */
  public static final class ContextObjectInputStream extends ObjectInputStream {
    public ContextObjectInputStream(InputStream in) throws IOException {
      super(in);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      if (loader != null) {
        try {
          return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException e) {
          // fall through to the default resolution (primitives, bootstrap classes)
        }
      }
      return super.resolveClass(desc);
    }
  }
}
