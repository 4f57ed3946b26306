package io.weft.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.WeftConf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Record types without a fast path go through Kryo: records, enums, POJOs with and without a
 * no-argument constructor, nested collections, null fields; java.* classes Kryo cannot open
 * fall back to Java serialization; registration changes the bytes, not the values.
 */
class KryoRecordsTest {
  enum Level { LOW, HIGH }

  record Reading(String sensor, Level level, double value, List<Integer> tags, Map<String, Reading> children) {}

  /** A mutable POJO with no no-argument constructor and no Serializable. */
  static final class Account {
    private final String owner;
    private long balance;
    private int[] history;
    private Account parent;

    Account(String owner, long balance) {
      this.owner = owner;
      this.balance = balance;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Account a && Objects.equals(owner, a.owner) && balance == a.balance
          && java.util.Arrays.equals(history, a.history) && Objects.equals(parent, a.parent);
    }

    @Override
    public int hashCode() {
      return Objects.hash(owner, balance);
    }
  }

  /** A graph node, for references and cycles. */
  static final class Node {
    String name;
    Node next;
  }

  private static Object roundTrip(SerializerInstance ser, Object value) {
    return ser.deserialize(ser.serialize(value));
  }

  @Test
  void recordsEnumsPojosNestedCollectionsAndNullFieldsRoundTrip() {
    SerializerInstance ser = new WeftSerializer().newInstance();
    Map<String, Reading> children = new HashMap<>();
    children.put("a", new Reading("a", Level.LOW, 1.5, null, null));
    children.put("nullValue", null);
    Reading nested = new Reading("root", Level.HIGH, -2.0, List.of(1, 2, 3), children);
    Account account = new Account("ann", 42);
    account.history = new int[] {1, -2, 3};
    account.parent = new Account(null, -1);
    for (Object v : List.of(Level.HIGH, nested, new Reading(null, null, 0, null, null), account,
        new TreeMap<>(Map.of("x", List.of(Level.LOW), "y", List.of())), new HashSet<>(Set.of(1L, 2L)),
        new LinkedHashMap<>(Map.of(Level.LOW, new Account("b", 0))), Set.of("s", "t"), Map.of(1, "one"),
        new String[] {"a", null, "c"})) {
      Object back = roundTrip(ser, v);
      if (v instanceof Object[] array) {
        assertArrayEquals(array, (Object[]) back);
      } else {
        assertEquals(v, back);
        assertEquals(v.getClass(), back.getClass(), "same class for " + v);
      }
    }
    assertSame(Level.HIGH, roundTrip(ser, Level.HIGH), "enums come back as the constant");
    assertEquals(WeftSerializer.KRYO, ser.serialize(account)[0]);
  }

  record Holder(Map<String, Integer> map, Set<String> set, Pattern pattern) {}

  @Test
  void javaClassesKryoWouldMishandleGoThroughJavaSerialization() {
    SerializerInstance ser = new WeftSerializer().newInstance();
    // Kryo alone writes an unmodifiable map as a map, then fails to put into it when reading
    Map<String, Integer> unmodifiable = Collections.unmodifiableMap(new HashMap<>(Map.of("k", 1)));
    assertEquals(unmodifiable, roundTrip(ser, unmodifiable));
    assertEquals(unmodifiable.getClass(), roundTrip(ser, unmodifiable).getClass());
    // nested in a user record; Pattern's fields are closed to reflection in java.base
    Holder h = new Holder(unmodifiable, Collections.unmodifiableSet(new HashSet<>(Set.of("a"))), Pattern.compile("a+b"));
    Holder back = (Holder) roundTrip(ser, h);
    assertEquals(h.map(), back.map());
    assertEquals(h.set(), back.set());
    assertEquals("a+b", back.pattern().pattern());
    assertEquals(WeftSerializer.KRYO, ser.serialize(h)[0]);
  }

  @Test
  void immutableAndPublicJdkCollectionsStayKryos() {
    // Java serialization of Map.of(1, "one") alone takes over 100 bytes; Kryo's, about 40 (class name included)
    SerializerInstance ser = new WeftSerializer().newInstance();
    for (Object v : List.of(Map.of(1, "one"), Set.of("a"), new HashMap<>(Map.of(1, "one")), new TreeMap<>(Map.of(1, "one")))) {
      byte[] bytes = ser.serialize(v);
      assertTrue(bytes.length < 60, v.getClass().getName() + " took " + bytes.length + " bytes");
      assertEquals(v, ser.deserialize(bytes));
    }
  }

  @Test
  void sharedObjectsStaySharedAndCyclesWork() {
    SerializerInstance ser = new WeftSerializer().newInstance();
    Node a = new Node();
    Node b = new Node();
    a.name = "a";
    b.name = "b";
    a.next = b;
    b.next = a;
    Node back = (Node) roundTrip(ser, a);
    assertEquals("a", back.name);
    assertEquals("b", back.next.name);
    assertSame(back, back.next.next);
  }

  @Test
  void registrationMakesValuesSmallerAndReadsBackInAnotherInstance() {
    List<String> classes = List.of(Reading.class.getName(), Level.class.getName());
    Reading r = new Reading("s", Level.LOW, 1, List.of(), Map.of());
    byte[] unregistered = new WeftSerializer().newInstance().serialize(r);
    byte[] registered = new WeftSerializer(classes, true).newInstance().serialize(r);
    assertTrue(registered.length + Reading.class.getName().length() - 4 < unregistered.length,
        registered.length + " vs " + unregistered.length);
    assertEquals(r, new WeftSerializer(classes, true).newInstance().deserialize(registered));
    // the serializer is shipped in task binaries: its registration list travels with it
    Serializer shipped = JavaSerializer.instance().deserialize(
        JavaSerializer.instance().serialize(new WeftSerializer(classes, true)));
    assertEquals(r, shipped.newInstance().deserialize(registered));
  }

  @Test
  void configurationChoosesTheSerializerAndNamesABadRegistration() {
    assertTrue(Serializers.fromConf(new WeftConf(false)) instanceof WeftSerializer);
    assertTrue(Serializers.fromConf(new WeftConf(false).set("weft.serializer", "java")) instanceof JavaSerializer);
    Serializer bad = Serializers.fromConf(new WeftConf(false).set("weft.kryo.classesToRegister", " no.Such , "));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> bad.newInstance().serialize(new Account("x", 1)));
    assertTrue(e.getMessage().contains("weft.kryo.classesToRegister names no.Such"), e.getMessage());
  }

  @Test
  void aValueNeitherKryoNorJavaCanWriteIsNamed() {
    SerializerInstance ser = new WeftSerializer().newInstance();
    // Thread's fields are closed to Kryo under Java 17, and Thread is not Serializable
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ser.serialize(new Thread()));
    NotSerializableException cause = (NotSerializableException) e.getCause();
    assertTrue(cause.getMessage().contains("java.lang.Thread"), cause.getMessage());
    assertTrue(cause.getMessage().contains("not java.io.Serializable"), cause.getMessage());
  }

  @Test
  void streamsOfOneInstanceReadInterleaved() throws IOException {
    // a spill merge reads the same partition of several spills at once with one instance
    SerializerInstance ser = new WeftSerializer().newInstance();
    List<byte[]> streams = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (SerializationStream out = ser.serializeStream(bytes)) {
        for (int i = 0; i < 100; i++) {
          out.writeKeyValue(new Reading("s" + s, Level.values()[i % 2], i, null, null), Pair.of(s, new Account("o" + i, i)));
        }
      }
      streams.add(bytes.toByteArray());
    }
    List<DeserializationStream> ins = new ArrayList<>();
    for (byte[] b : streams) {
      ins.add(ser.deserializeStream(new ByteArrayInputStream(b)));
    }
    for (int i = 0; i < 100; i++) {
      for (int s = 0; s < 3; s++) {
        assertEquals(new Reading("s" + s, Level.values()[i % 2], i, null, null), ins.get(s).readObject());
        assertEquals(Pair.of(s, new Account("o" + i, i)), ins.get(s).readObject());
      }
    }
  }
}
