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
 * as the record fallback. Every stream it reads runs behind {@link JavaDeserializationFilter}. Classes resolve through the thread's context class loader, which on an
 * executor is the loader of the user's jars.
 */
public final class JavaSerializer implements Serializer {
  /** Keeps no state between calls (each stream is new), so one instance serves every thread. */
  private static final SerializerInstance SHARED = new Instance();

  /** The shared instance, for closures, task results, broadcasts and other single objects. */
  public static SerializerInstance instance() {
    return SHARED;
  }

  @Override
  public SerializerInstance newInstance() {
    return SHARED;
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
        ContextObjectInputStream ois = new ContextObjectInputStream(in);
        return new DeserializationStream() {
          @Override
          public Object readObject() throws IOException {
            try {
              return ois.readObject();
            } catch (ClassNotFoundException e) {
              throw classNotFound(e, null);
            } catch (java.io.InvalidClassException e) {
              if (e.getMessage() != null && e.getMessage().contains("REJECTED")) {
                throw new java.io.InvalidClassException("refused by the deserialization filter: a "
                    + "gadget class or a stream over its limits (see the WARN log naming the class; "
                    + "weft.serializer.java.filter)");
              }
              throw e;
            } catch (IOException | RuntimeException e) {
              ClassNotFoundException missing = ois.firstMissingClass();
              if (missing != null) {
                throw classNotFound(missing, e);
              }
              throw e;
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

  /** The missing class as the failure, with what it caused (if anything else surfaced) kept. */
  private static IOException classNotFound(ClassNotFoundException missing, Exception surfaced) {
    IOException e = new IOException("class not found while deserializing: " + missing.getMessage(), missing);
    if (surfaced != null) {
      e.addSuppressed(surfaced);
    }
    return e;
  }

  /**
   * Resolves classes through the context class loader, falling back to this class's loader. Public
   * because {@link WeftSerializer} uses it for its Java-serialization fallback.
   *
   * <p>Remembers the first class it could not resolve: {@link ObjectInputStream} defers that
   * failure and may fail on a consequence first. A serializable lambda whose capturing class is
   * missing stays a {@code SerializedLambda}, and assigning it to its field throws a
   * {@code ClassCastException} that never names the class.
   */
  public static final class ContextObjectInputStream extends ObjectInputStream {
    private ClassNotFoundException firstMissing;

    public ContextObjectInputStream(InputStream in) throws IOException {
      super(in);
      setObjectInputFilter(JavaDeserializationFilter.current());
    }

    /** The first class this stream could not resolve, or null. */
    public ClassNotFoundException firstMissingClass() {
      return firstMissing;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      try {
        return resolve(desc);
      } catch (ClassNotFoundException e) {
        if (firstMissing == null) {
          firstMissing = e;
        }
        throw e;
      }
    }

    private Class<?> resolve(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
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
