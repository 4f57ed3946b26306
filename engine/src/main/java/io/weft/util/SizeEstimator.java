package io.weft.util;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.weft.Pair;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Estimates how many heap bytes an object graph occupies, for the shuffle's spill decision and
 * the block store's memory accounting. Modelled on Spark's {@code SizeEstimator}.
 *
 * <p>How: fast paths for strings, boxed primitives, primitive arrays and {@link Pair}; for other
 * objects a walk over reference fields (the per-class layout is cached) with an identity set so
 * shared and cyclic objects count once. Object arrays longer than 400 elements are sampled: two
 * rounds of 100 random elements, the larger round counted as is (it absorbs objects shared by
 * all elements) and the smaller one scaled to the rest of the array. JDK collections, whose
 * fields Java 17 does not let us read, are walked through their public API instead.
 *
 * <p>Layout assumptions (HotSpot, 64-bit): 12-byte headers and 4-byte references with
 * compressed oops (asked from the VM at class load), 16 and 8 otherwise; objects aligned to 8
 * bytes; strings counted as Latin-1 (one byte per char), which most record text is.
 *
 * <p>Thread-safe: each call has its own state; the class cache is concurrent.
 */
public final class SizeEstimator {
  private static final Logger LOG = LoggerFactory.getLogger(SizeEstimator.class);

  static final int ARRAY_SIZE_FOR_SAMPLING = 400;
  static final int ARRAY_SAMPLE_SIZE = 100;

  private static final boolean COMPRESSED_OOPS = compressedOops();
  private static final int REF = COMPRESSED_OOPS ? 4 : 8;
  private static final int OBJECT_HEADER = COMPRESSED_OOPS ? 12 : 16;
  private static final int ARRAY_HEADER = COMPRESSED_OOPS ? 16 : 20;
  private static final long STRING_SHALLOW = align(OBJECT_HEADER + REF + 4 + 1 + 1);
  private static final long PAIR_SHALLOW = align(OBJECT_HEADER + 2L * REF);

  private static final Map<Class<?>, ClassInfo> CLASSES = new ConcurrentHashMap<>();

  private SizeEstimator() {}

  /** Shallow size and the reference fields we can read, per class (hierarchy included). */
  private record ClassInfo(long shallowSize, Field[] refFields) {}

  /** Estimated bytes of {@code obj} and everything reachable from it. */
  public static long estimate(Object obj) {
    return estimate(obj, new IdentityHashMap<>());
  }

  private static long estimate(Object obj, IdentityHashMap<Object, Boolean> visited) {
    Walk walk = new Walk(visited);
    walk.enqueue(obj);
    return walk.run();
  }

  /** One estimation: a stack of objects still to visit and the running total. */
  private static final class Walk {
    final IdentityHashMap<Object, Boolean> visited;
    final ArrayDeque<Object> stack = new ArrayDeque<>();
    long size;

    Walk(IdentityHashMap<Object, Boolean> visited) {
      this.visited = visited;
    }

    void enqueue(Object o) {
      if (o != null && visited.put(o, Boolean.TRUE) == null) {
        stack.push(o);
      }
    }

    long run() {
      while (!stack.isEmpty()) {
        visit(stack.pop());
      }
      return size;
    }

    private void visit(Object o) {
      long leaf = leafSize(o);
      if (leaf >= 0) {
        size += leaf;
      } else if (o instanceof Pair<?, ?> p) {
        size += PAIR_SHALLOW;
        enqueue(p.key());
        enqueue(p.value());
      } else if (o.getClass().isArray()) {
        visitArray(o);
      } else if (o instanceof Collection<?> c && isJdk(o.getClass())) {
        visitCollection(c);
      } else if (o instanceof Map<?, ?> m && isJdk(o.getClass())) {
        // a HashMap node: header, hash, key, value, next
        size += align(OBJECT_HEADER + 48L) + align(ARRAY_HEADER + (long) REF * m.size() * 4 / 3)
            + (long) m.size() * align(OBJECT_HEADER + 4 + 3L * REF);
        for (Map.Entry<?, ?> e : m.entrySet()) {
          enqueue(e.getKey());
          enqueue(e.getValue());
        }
      } else {
        ClassInfo info = classInfo(o.getClass());
        size += info.shallowSize();
        for (Field f : info.refFields()) {
          try {
            enqueue(f.get(o));
          } catch (IllegalAccessException e) {
            // cannot happen: only fields made accessible are cached
          }
        }
      }
    }

    private void visitArray(Object array) {
      Class<?> component = array.getClass().getComponentType();
      int length = Array.getLength(array);
      if (component.isPrimitive()) {
        size += align(ARRAY_HEADER + (long) length * primitiveSize(component));
        return;
      }
      Object[] objects = (Object[]) array;
      size += align(ARRAY_HEADER + (long) length * REF);
      if (length <= ARRAY_SIZE_FOR_SAMPLING) {
        for (Object e : objects) {
          enqueue(e);
        }
      } else {
        size += sampled(length, i -> objects[i]);
      }
    }

    private void visitCollection(Collection<?> c) {
      // ArrayList-like: the object, its backing array (capacity unknown: assume size)
      size += align(OBJECT_HEADER + 12L) + align(ARRAY_HEADER + (long) c.size() * REF);
      if (c instanceof List<?> list && c instanceof RandomAccess && c.size() > ARRAY_SIZE_FOR_SAMPLING) {
        size += sampled(list.size(), list::get);
        return;
      }
      if (c instanceof Set<?>) {
        size += (long) c.size() * align(OBJECT_HEADER + 4 + 3L * REF); // hash nodes
      }
      for (Object e : c) {
        enqueue(e);
      }
    }

    /** Spark's sampling: see the class comment. */
    private long sampled(int length, java.util.function.IntFunction<?> element) {
      SplittableRandom rand = new SplittableRandom(42);
      BitSet drawn = new BitSet(length);
      long s1 = sampleRound(length, element, rand, drawn);
      long s2 = sampleRound(length, element, rand, drawn);
      long min = Math.min(s1, s2);
      long max = Math.max(s1, s2);
      return max + min * ((length - ARRAY_SAMPLE_SIZE * 2L) / ARRAY_SAMPLE_SIZE);
    }

    private long sampleRound(int length, java.util.function.IntFunction<?> element,
        SplittableRandom rand, BitSet drawn) {
      long total = 0;
      for (int i = 0; i < ARRAY_SAMPLE_SIZE; i++) {
        int index;
        do {
          index = rand.nextInt(length);
        } while (drawn.get(index));
        drawn.set(index);
        Object e = element.apply(index);
        if (e != null) {
          total += estimate(e, visited);
        }
      }
      return total;
    }
  }

  /** Size of an object with no references worth following, or -1. */
  private static long leafSize(Object o) {
    if (o instanceof String s) {
      // compact strings: one byte per char for Latin-1 text, which records mostly are
      return STRING_SHALLOW + align(ARRAY_HEADER + (long) s.length());
    }
    if (o instanceof Integer || o instanceof Float || o instanceof Short || o instanceof Byte
        || o instanceof Character || o instanceof Boolean) {
      return align(OBJECT_HEADER + 4L);
    }
    if (o instanceof Long || o instanceof Double) {
      return align(OBJECT_HEADER + 8L);
    }
    if (o instanceof Class<?> || o instanceof Enum<?> || o instanceof Thread || o instanceof ClassLoader) {
      return 0; // shared with the rest of the JVM: not this collection's memory
    }
    return -1;
  }

  /** Asks HotSpot; on other VMs, guesses from the heap size (compressed oops need < 32 GiB). */
  private static boolean compressedOops() {
    try {
      HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return Boolean.parseBoolean(hotspot.getVMOption("UseCompressedOops").getValue());
    } catch (RuntimeException | LinkageError e) {
      return Runtime.getRuntime().maxMemory() < (32L << 30);
    }
  }

  private static boolean isJdk(Class<?> c) {
    String n = c.getName();
    return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.");
  }

  private static ClassInfo classInfo(Class<?> c) {
    ClassInfo info = CLASSES.get(c);
    if (info == null) {
      info = computeClassInfo(c);
      CLASSES.putIfAbsent(c, info);
    }
    return info;
  }

  private static ClassInfo computeClassInfo(Class<?> c) {
    long shallow = OBJECT_HEADER;
    List<Field> refs = new ArrayList<>();
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        Class<?> t = f.getType();
        shallow += t.isPrimitive() ? primitiveSize(t) : REF;
        if (!t.isPrimitive()) {
          try {
            f.setAccessible(true);
            refs.add(f);
          } catch (RuntimeException e) {
            // a JDK-internal field Java 17 keeps closed: count the reference, not its target
            LOG.debug("size estimate of {} does not follow inaccessible field {}", c.getName(), f.getName());
          }
        }
      }
    }
    return new ClassInfo(align(shallow), refs.toArray(new Field[0]));
  }

  private static int primitiveSize(Class<?> t) {
    if (t == long.class || t == double.class) {
      return 8;
    }
    if (t == int.class || t == float.class) {
      return 4;
    }
    if (t == short.class || t == char.class) {
      return 2;
    }
    return 1; // byte, boolean
  }

  private static long align(long size) {
    return (size + 7) & ~7L;
  }
}
