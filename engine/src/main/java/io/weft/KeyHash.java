package io.weft;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hash code Weft partitions and groups keys by: the same for equal keys in every JVM, unlike
 * {@code Object.hashCode}, which for an enum (or any class that does not override it) is the
 * object's identity hash and differs between the driver and each executor. A shuffle whose map
 * tasks run in two JVMs must send equal keys to the same reducer, so {@link HashPartitioner}, the
 * map-side combine and the reduce-side grouping all hash keys with {@link #hash}; equality stays
 * {@code equals}.
 *
 * <p>How a key is hashed, by its class:
 * <ul>
 *   <li>{@code String}, boxed primitives and any class that overrides {@code hashCode}: its
 *       {@code hashCode()}, as before (these are value-based and the same everywhere);
 *   <li>an enum constant: {@code 31 * declaringClassName.hashCode() + name().hashCode()};
 *   <li>{@link Pair} and any other record: its components' hashes combined as a record's
 *       {@code hashCode} combines them ({@code h = 31 * h + hash(component)} from 0), so a record
 *       of strings and numbers hashes exactly as before and one holding an enum is stable;
 *   <li>{@code List}s, {@code Set}s, {@code Map}s, {@code Map.Entry}s and {@code Optional}s: the
 *       formula their interface specifies for {@code hashCode}, over the elements' hashes;
 *   <li>an array: refused with an {@link UnsupportedKeyException}, because arrays hash and
 *       compare by identity, so equal contents would never group;
 *   <li>a class that inherits {@code Object.hashCode}: its identity hash, with a warning naming
 *       the class (once per class and JVM): such keys group only with themselves.
 * </ul>
 * Records are hashed by their components even when they define their own {@code equals}: a
 * record key must be equal exactly when its components are (records with array components are
 * refused, as arrays are). A class that overrides {@code hashCode} but mixes in an enum's or
 * another identity hash is still unstable across JVMs; hash a name or ordinal instead.
 *
 * <p>Worked example: {@code enum Color {RED, GREEN}} declared as {@code com.example.Color}. Then
 * {@code hash(Color.RED) = 31 * "com.example.Color".hashCode() + "RED".hashCode()}, the same
 * number in the driver and in every executor, so {@code new HashPartitioner(4)} sends every RED
 * to the same reducer. {@code hash(new Pair<>(Color.RED, 7)) = 31 * hash(Color.RED) + 7}, and
 * {@code hash(List.of("a", "b")) = 31 * (31 * 1 + "a".hashCode()) + "b".hashCode()}, which is
 * {@code List.of("a", "b").hashCode()}.
 *
 * <p>Cost: strings, integers and longs are answered before any lookup; other classes are
 * classified once per JVM (a {@code ClassValue}), records read through cached method handles.
 * Thread-safe and stateless apart from that cache.
 */
public final class KeyHash {
  private static final Logger LOG = LoggerFactory.getLogger(KeyHash.class);
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private KeyHash() {}

  /** A hash of {@code key} (which may be null) that equal keys share in every JVM. */
  public static int hash(Object key) {
    // the hot path: most shuffles are keyed by strings or numbers
    if (key instanceof String s) {
      return s.hashCode();
    }
    if (key instanceof Integer i) {
      return i;
    }
    if (key instanceof Long l) {
      return Long.hashCode(l);
    }
    if (key == null) {
      return 0;
    }
    return STRATEGIES.get(key.getClass()).hash(key);
  }

  /** How keys of one class are hashed; chosen once per class. */
  private interface Strategy {
    int hash(Object key);
  }

  private static final Strategy OWN = Object::hashCode;

  private static final ClassValue<Strategy> STRATEGIES = new ClassValue<>() {
    @Override
    protected Strategy computeValue(Class<?> type) {
      return strategyFor(type);
    }
  };

  private static Strategy strategyFor(Class<?> type) {
    if (type.isArray()) {
      return key -> {
        throw UnsupportedKeyException.array(key.getClass());
      };
    }
    if (Enum.class.isAssignableFrom(type)) {
      // a constant with a body is an anonymous subclass of its enum
      Class<?> declaring = type.isEnum() ? type : type.getSuperclass();
      int classHash = declaring.getName().hashCode();
      return key -> 31 * classHash + ((Enum<?>) key).name().hashCode();
    }
    if (type == Pair.class) {
      return key -> {
        Pair<?, ?> p = (Pair<?, ?>) key;
        return 31 * hash(p.key()) + hash(p.value());
      };
    }
    if (type.isRecord()) {
      Strategy components = recordComponents(type);
      if (components != null) {
        return components;
      }
    }
    if (List.class.isAssignableFrom(type)) {
      return KeyHash::listHash;
    }
    if (Set.class.isAssignableFrom(type)) {
      return key -> {
        int h = 0;
        for (Object e : (Set<?>) key) {
          h += hash(e);
        }
        return h;
      };
    }
    if (Map.class.isAssignableFrom(type)) {
      return key -> {
        int h = 0;
        for (Map.Entry<?, ?> e : ((Map<?, ?>) key).entrySet()) {
          h += hash(e.getKey()) ^ hash(e.getValue());
        }
        return h;
      };
    }
    if (Map.Entry.class.isAssignableFrom(type)) {
      return key -> hash(((Map.Entry<?, ?>) key).getKey()) ^ hash(((Map.Entry<?, ?>) key).getValue());
    }
    if (type == Optional.class) {
      return key -> hash(((Optional<?>) key).orElse(null));
    }
    if (type == java.util.Optional.class) {
      return key -> hash(((java.util.Optional<?>) key).orElse(null));
    }
    if (inheritsObjectHashCode(type)) {
      warnIdentityHash(type);
    }
    return OWN;
  }

  private static int listHash(Object key) {
    int h = 1;
    for (Object e : (List<?>) key) {
      h = 31 * h + hash(e);
    }
    return h;
  }

  /** Hashes a record by its components' hashes; null if its accessors cannot be reached. */
  private static Strategy recordComponents(Class<?> type) {
    RecordComponent[] components = type.getRecordComponents();
    MethodHandle[] accessors = new MethodHandle[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        Method accessor = components[i].getAccessor();
        accessor.setAccessible(true); // user records are often private nested classes
        accessors[i] = MethodHandles.lookup().unreflect(accessor)
            .asType(MethodType.methodType(Object.class, Object.class));
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("cannot read the components of record key class {} ({}); hashing it with its hashCode(),"
          + " which is stable across JVMs only if its components' hash codes are", type.getName(), e.toString());
      return null;
    }
    return key -> {
      int h = 0;
      for (MethodHandle accessor : accessors) {
        h = 31 * h + hash(component(accessor, key));
      }
      return h;
    };
  }

  private static Object component(MethodHandle accessor, Object record) {
    try {
      return (Object) accessor.invokeExact(record);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new WeftException("cannot read a component of record key " + record.getClass().getName(), e);
    }
  }

  private static boolean inheritsObjectHashCode(Class<?> type) {
    try {
      return type.getMethod("hashCode").getDeclaringClass() == Object.class;
    } catch (NoSuchMethodException e) {
      return false; // every class has a public hashCode; unreachable
    }
  }

  private static void warnIdentityHash(Class<?> type) {
    if (WARNED.add(type.getName())) {
      LOG.warn("key class {} does not override hashCode(): its keys hash by identity, so equal keys"
          + " are not grouped together (and hash differently in every JVM); give it equals and"
          + " hashCode, or make it a record", type.getName());
    }
  }
}
