package io.weft.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import com.esotericsoftware.kryo.util.ObjectMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * Kryo's {@link JavaSerializer} (Java serialization inside a Kryo record, for JDK classes Kryo
 * cannot handle itself) reading behind {@link JavaDeserializationFilter}: Kryo's own stream has
 * no filter, so a record naming, say, {@code Collections$UnmodifiableMap} could carry any
 * serializable graph. Writes exactly as Kryo's (one {@link java.io.ObjectOutputStream} per
 * record graph, kept in the graph context under this serializer); reads likewise, with one
 * filtered stream per graph that resolves classes through the Kryo's class loader.
 */
final class FilteredKryoJavaSerializer extends JavaSerializer {
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public Object read(Kryo kryo, Input input, Class type) {
    ObjectMap graphContext = kryo.getGraphContext();
    KryoLoaderStream in = (KryoLoaderStream) graphContext.get(this);
    try {
      if (in == null) {
        in = new KryoLoaderStream(input, kryo.getClassLoader());
        graphContext.put(this, in);
      }
      return in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      String refused = in == null ? null : in.refused;
      throw new KryoException(refused != null
          ? "Refused to deserialize " + refused + " inside the Java serialization of a " + type.getName()
              + " in a Kryo record: refused by the deserialization filter (a gadget class, or "
              + "weft.serializer.java.filter)"
          : "Error during Java deserialization of " + type.getName() + " in a Kryo record", e);
    }
  }

  /**
   * Resolves the stream's classes with the Kryo's loader (the user's jars on an executor), behind
   * the process's filter; remembers the class the filter refused, for the message.
   */
  private static final class KryoLoaderStream extends ObjectInputStream {
    private final ClassLoader loader;
    private String refused;

    KryoLoaderStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
      ObjectInputFilter filter = JavaDeserializationFilter.current();
      setObjectInputFilter(info -> {
        ObjectInputFilter.Status s = filter.checkInput(info);
        if (s == ObjectInputFilter.Status.REJECTED && refused == null) {
          refused = info.serialClass() != null ? info.serialClass().getName() : "a graph over the filter's limits";
        }
        return s;
      });
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc); // primitives and the JDK's own
      }
    }
  }
}
