package io.weft.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * {@link WeftSerializer}'s codec for record types without a fast path (a user's POJO, record
 * class or enum, maps, sets, arrays): Kryo 5, one {@link Kryo} per serializer instance, made on
 * first use so jobs whose records all have fast paths never build one.
 *
 * <p>Each value is encoded on its own ({@code writeClassAndObject} with Kryo's auto-reset), so a
 * reader can start at any value and several streams of one serializer instance can be read
 * interleaved (a spill merge does). An unregistered class costs its name per value; a class
 * listed in {@code weft.kryo.classesToRegister} costs a varint id instead. Registration is in list
 * order, so writer and reader, built from the same setting, agree on the ids.
 *
 * <p>Classes resolve through the thread's context class loader when the Kryo is made: on an
 * executor, the loader of the user's jars. Classes without a no-argument constructor are made by
 * Objenesis (records through their canonical constructor). JDK classes that Kryo's generic
 * serializers would mishandle ({@code Collections.unmodifiableMap}, fields closed by Java 17's
 * modules) are written with Java serialization inside the Kryo value (see {@link JdkAwareKryo}).
 * A value Kryo still fails to write is written with Java serialization instead if it is
 * {@link Serializable}, and its class remembered so Kryo is tried on it only once.
 *
 * <p>Reading is behind the process's deserialization filter, as Java streams are: a class a
 * record names is checked before Kryo instantiates it ({@link FilteringClassResolver}), and the
 * Java serialization Kryo embeds for JDK classes is read through a filtered stream
 * ({@link FilteredKryoJavaSerializer}).
 *
 * <p>Not thread-safe: one per serializer instance, which is one task thread's.
 */
final class KryoCodec {
  private final List<String> classesToRegister;
  private final boolean referenceTracking;
  private Kryo kryo;
  private final Output output = new Output(256, -1);
  private final Input input = new Input();
  private byte[] readBuffer = new byte[256];
  /** Classes Kryo failed to write: they go through Java serialization from then on. */
  private final Set<Class<?>> javaOnly = new HashSet<>();

  KryoCodec(List<String> classesToRegister, boolean referenceTracking) {
    this.classesToRegister = classesToRegister;
    this.referenceTracking = referenceTracking;
  }

  /** True when {@code value}'s class is known to need Java serialization. */
  boolean prefersJava(Object value) {
    return javaOnly.contains(value.getClass());
  }

  /**
   * Encodes {@code value}; null when Kryo cannot and the class is Serializable (the caller falls
   * back to Java serialization). The bytes are valid until the next call.
   */
  Output encode(Object value) throws IOException {
    Kryo k = kryo();
    output.reset();
    try {
      k.writeClassAndObject(output, value);
      return output;
    } catch (RuntimeException e) {
      k.reset();
      if (value instanceof Serializable) {
        javaOnly.add(value.getClass());
        return null;
      }
      NotSerializableException failure = new NotSerializableException("cannot serialize a record of "
          + value.getClass().getName() + " with Kryo (" + e + "), and it is not java.io.Serializable: "
          + "make it Serializable, or keep such values out of shuffled and cached records");
      failure.initCause(e);
      throw failure;
    }
  }

  /** A buffer of at least {@code length} bytes for {@link #decode}. */
  byte[] readBuffer(int length) {
    if (readBuffer.length < length) {
      readBuffer = new byte[Math.max(length, readBuffer.length * 2)];
    }
    return readBuffer;
  }

  /** Decodes a value from the first {@code length} bytes of {@link #readBuffer}. */
  Object decode(int length) throws IOException {
    Kryo k = kryo();
    input.setBuffer(readBuffer, 0, length);
    try {
      return k.readClassAndObject(input);
    } catch (RuntimeException e) {
      k.reset();
      throw new IOException("cannot deserialize a record with Kryo: " + e.getMessage(), e);
    }
  }

  /**
   * The context class loader, then the engine's: a class the context loader cannot see (a
   * JDK or engine class under a restrictive context loader) still resolves, as for
   * {@link JavaSerializer.ContextObjectInputStream}.
   */
  private static ClassLoader contextFirstLoader() {
    ClassLoader engine = KryoCodec.class.getClassLoader();
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context == null || context == engine) {
      return engine;
    }
    return new ClassLoader(context) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        return Class.forName(name, false, engine);
      }
    };
  }

  private Kryo kryo() {
    if (kryo == null) {
      kryo = newKryo();
    }
    return kryo;
  }

  private Kryo newKryo() {
    Kryo k = new JdkAwareKryo();
    k.setClassLoader(contextFirstLoader());
    k.setRegistrationRequired(false);
    k.setReferences(referenceTracking);
    // a no-argument constructor when there is one (it may set defaults), else Objenesis
    k.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    // List.of, Set.of, Map.of: their classes are closed to reflection in java.base
    ImmutableCollectionsSerializers.addDefaultSerializers(k);
    for (String name : classesToRegister) {
      try {
        k.register(Class.forName(name, false, k.getClassLoader()));
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException("weft.kryo.classesToRegister names " + name
            + ", which is not on the class path of this JVM", e);
      }
    }
    return k;
  }

  /**
   * A Kryo that sends JDK classes its generic serializers would mishandle through Java
   * serialization. Kryo writes {@code Collections.unmodifiableMap(m)} as a map and fails only when
   * reading it back ({@code put} is unsupported), and cannot open the private fields of
   * {@code java.*} classes under Java 17's modules. So a class of a named module (the JDK) that
   * is not public, or has no public no-argument constructor, and that Kryo would handle with a
   * field, collection or map serializer, is written with Java serialization inside the Kryo
   * stream if it is {@link Serializable}. Public JDK classes with such a constructor
   * ({@code HashMap}, {@code TreeSet}, ...) and classes with a dedicated Kryo serializer
   * ({@code List.of}, {@code Optional}, {@code java.time}) keep Kryo's. User classes are never
   * affected.
   */
  private static final class JdkAwareKryo extends Kryo {
    JdkAwareKryo() {
      super(new FilteringClassResolver(), null); // class names from a record pass the filter
    }

    @Override
    @SuppressWarnings("rawtypes")
    public com.esotericsoftware.kryo.Serializer getDefaultSerializer(Class type) {
      boolean javaPossible = type.getModule().isNamed() && !type.isArray()
          && Serializable.class.isAssignableFrom(type);
      com.esotericsoftware.kryo.Serializer chosen;
      try {
        chosen = super.getDefaultSerializer(type);
      } catch (RuntimeException e) {
        // a field serializer could not open the class's fields (InaccessibleObjectException)
        if (javaPossible) {
          return new FilteredKryoJavaSerializer();
        }
        throw e;
      }
      // exact classes: Kryo's serializers for List.of and friends extend CollectionSerializer
      Class<?> kind = chosen.getClass();
      if (kind == com.esotericsoftware.kryo.serializers.JavaSerializer.class) {
        return new FilteredKryoJavaSerializer(); // a class annotated to use Kryo's unfiltered one
      }
      boolean generic = kind == FieldSerializer.class || kind == CollectionSerializer.class
          || kind == MapSerializer.class;
      if (generic && javaPossible && !publicWithNoArgConstructor(type)) {
        return new FilteredKryoJavaSerializer();
      }
      return chosen;
    }

    private static boolean publicWithNoArgConstructor(Class<?> type) {
      if (!Modifier.isPublic(type.getModifiers())) {
        return false;
      }
      try {
        return Modifier.isPublic(type.getConstructor().getModifiers());
      } catch (NoSuchMethodException e) {
        return false;
      }
    }
  }
}
