package io.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.log4j.AppenderSkeleton;
import org.apache.log4j.Level;
import org.apache.log4j.Logger;
import org.apache.log4j.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

/**
 * The partitioning hash: value-based types hash exactly as their hashCode (so existing
 * partitioning is unchanged), enums and what holds them hash by name (the same in every JVM; the
 * cross-JVM outcome is checked in local-cluster mode by KeysAcrossJvmsTest), arrays are refused.
 */
class KeyHashTest {
  enum Color { RED, GREEN, BLUE }

  enum Op {
    PLUS { int apply(int a, int b) { return a + b; } },
    MINUS { int apply(int a, int b) { return a - b; } };

    abstract int apply(int a, int b);
  }

  record Shipment(Color color, String city, int boxes) {}

  record Holder(Object value) {}

  /** Inherits Object.hashCode: keys of this class group only with themselves. */
  static final class NoHashCode {}

  private static int enumHash(Enum<?> e) {
    return 31 * e.getDeclaringClass().getName().hashCode() + e.name().hashCode();
  }

  @Test
  void valueTypesHashAsTheirHashCodeSoPartitioningIsUnchanged() {
    List<Object> keys = List.of("word", "", 42, -7, 1L << 40, 3.5d, 'c', true, (short) 3,
        new java.math.BigDecimal("1.50"), ByteBuffer.wrap(new byte[] {1, 2, 3}),
        Pair.of("a", 1), Pair.of(Pair.of("x", 2L), "y"), List.of("a", "b"), new ArrayList<>(List.of(1, 2)),
        Set.of("s", "t"), Map.of("k", 1, "l", 2), Map.entry("e", 5), Optional.of("o"),
        java.util.Optional.of(9), new Holder("h"));
    for (Object key : keys) {
      assertEquals(key.hashCode(), KeyHash.hash(key), "hash of " + key + " (" + key.getClass().getName() + ")");
    }
    assertEquals(0, KeyHash.hash(null));
    assertEquals(Pair.of(null, null).hashCode(), KeyHash.hash(Pair.of(null, null)));
  }

  @Test
  void enumsHashByDeclaringClassAndNameAlsoInsideOtherKeys() {
    assertEquals(enumHash(Color.RED), KeyHash.hash(Color.RED));
    assertEquals(31 * "io.weft.KeyHashTest$Color".hashCode() + "GREEN".hashCode(), KeyHash.hash(Color.GREEN));
    // a constant with a body is an anonymous subclass: still hashed as its enum's constant
    assertEquals(31 * "io.weft.KeyHashTest$Op".hashCode() + "MINUS".hashCode(), KeyHash.hash(Op.MINUS));

    assertEquals(31 * enumHash(Color.RED) + 7, KeyHash.hash(Pair.of(Color.RED, 7)));
    int shipment = 31 * (31 * enumHash(Color.BLUE) + "Oslo".hashCode()) + 12;
    assertEquals(shipment, KeyHash.hash(new Shipment(Color.BLUE, "Oslo", 12)));
    assertEquals(31 * (31 + enumHash(Color.RED)) + enumHash(Color.GREEN),
        KeyHash.hash(List.of(Color.RED, Color.GREEN)));
    assertEquals(KeyHash.hash(List.of(Color.RED, Color.GREEN)),
        KeyHash.hash(new LinkedList<>(List.of(Color.RED, Color.GREEN))), "any List, by elements");
    assertEquals(enumHash(Color.RED) + enumHash(Color.BLUE), KeyHash.hash(EnumSet.of(Color.RED, Color.BLUE)));
    assertEquals(KeyHash.hash(EnumSet.of(Color.RED, Color.BLUE)),
        KeyHash.hash(new HashSet<>(Set.of(Color.BLUE, Color.RED))), "equal sets, equal hashes");
    assertEquals(enumHash(Color.RED) ^ 3, KeyHash.hash(new TreeMap<>(Map.of(Color.RED, 3))));
    assertEquals(enumHash(Color.RED) ^ 3, KeyHash.hash(Map.entry(Color.RED, 3)));
    assertEquals(enumHash(Color.RED), KeyHash.hash(Optional.of(Color.RED)));
    assertEquals(enumHash(Color.RED), KeyHash.hash(new Holder(Color.RED)), "private record, Object component");
  }

  @Test
  void equalKeysHashEqual() {
    assertEquals(KeyHash.hash(new Shipment(Color.RED, new String("Rome"), 1)),
        KeyHash.hash(new Shipment(Color.RED, "Rome", 1)));
    assertEquals(KeyHash.hash(Pair.of(List.of(Color.GREEN), Map.of(1, Color.BLUE))),
        KeyHash.hash(Pair.of(new ArrayList<>(List.of(Color.GREEN)), new TreeMap<>(Map.of(1, Color.BLUE)))));
  }

  @Test
  void arraysAreRefusedWithTheTypeAndAWrapper() {
    UnsupportedKeyException bytes = assertThrows(UnsupportedKeyException.class,
        () -> KeyHash.hash(new byte[] {1}));
    assertTrue(bytes.getMessage().startsWith("byte[] cannot be a key"), bytes.getMessage());
    assertTrue(bytes.getMessage().contains("ByteBuffer.wrap(bytes)"), bytes.getMessage());
    UnsupportedKeyException strings = assertThrows(UnsupportedKeyException.class,
        () -> KeyHash.hash(new String[] {"a"}));
    assertTrue(strings.getMessage().startsWith("java.lang.String[] cannot be a key"), strings.getMessage());
    assertTrue(strings.getMessage().contains("Arrays.asList"), strings.getMessage());
    // nested anywhere in a key
    for (Object key : List.of(Pair.of("k", new int[] {1}), new Holder(new long[0]), List.<Object>of((Object) new Object[0]))) {
      assertThrows(UnsupportedKeyException.class, () -> KeyHash.hash(key), "key " + key);
    }
    assertEquals("reduceByKey: " + bytes.getMessage(), bytes.in("reduceByKey").getMessage());
    assertEquals(bytes.in("join").getMessage(), bytes.in("join").in("join").getMessage(), "prefixed once");
  }

  @Test
  void aKeyClassWithoutHashCodeIsReportedOnceByName() {
    List<String> warnings = new ArrayList<>();
    AppenderSkeleton capture = new AppenderSkeleton() {
      @Override
      protected void append(LoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
          warnings.add(event.getRenderedMessage());
        }
      }

      @Override
      public void close() {}

      @Override
      public boolean requiresLayout() {
        return false;
      }
    };
    Logger logger = Logger.getLogger(KeyHash.class);
    logger.addAppender(capture);
    try {
      NoHashCode a = new NoHashCode();
      assertEquals(a.hashCode(), KeyHash.hash(a));
      KeyHash.hash(new NoHashCode());
      KeyHash.hash(Pair.of(new NoHashCode(), 1));
      KeyHash.hash("a string");
    } finally {
      logger.removeAppender(capture);
    }
    assertEquals(1, warnings.size(), "one warning: " + warnings);
    assertTrue(warnings.get(0).contains(NoHashCode.class.getName() + " does not override hashCode()"),
        warnings.get(0));
    assertTrue(Arrays.asList(Color.values()).stream().allMatch(c -> KeyHash.hash(c) == enumHash(c)));
  }
}
