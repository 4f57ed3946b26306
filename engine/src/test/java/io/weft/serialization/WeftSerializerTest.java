package io.weft.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weft.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeftSerializerTest {
  private final SerializerInstance ser = new WeftSerializer().newInstance();

  /** A user type with no fast path: goes through Kryo. */
  record Point(int x, String label) implements Serializable {}

  private Object roundTrip(Object value) {
    return ser.deserialize(ser.serialize(value));
  }

  private void assertRoundTrip(Object value) {
    Object back = roundTrip(value);
    assertEquals(value, back);
    if (value != null) {
      assertEquals(value.getClass(), back.getClass());
    }
  }

  @Test
  void roundTripsEveryFastPathType() {
    assertEquals(null, roundTrip(null));
    for (Object v : List.of(0, 1, -1, 63, -64, 64, Integer.MAX_VALUE, Integer.MIN_VALUE,
        0L, -1L, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE,
        0.0, -0.0, 3.25, Double.NaN, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
        1.5f, Float.NaN, -0.0f, (short) -12345, Short.MAX_VALUE, (byte) -128, (byte) 127,
        true, false, 'x', '\u20ac', Character.MAX_VALUE)) {
      assertRoundTrip(v);
    }
    assertArrayEquals(new byte[0], (byte[]) roundTrip(new byte[0]));
    byte[] big = new byte[100_000];
    new Random(1).nextBytes(big);
    assertArrayEquals(big, (byte[]) roundTrip(big));
  }

  @Test
  void roundTripsByteBuffersTheWrapperForByteArrayKeys() {
    ByteBuffer wrapped = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 9}, 1, 3);
    Object back = roundTrip(wrapped);
    assertEquals(wrapped, back, "the remaining bytes, which are what equals compares");
    assertEquals(wrapped.hashCode(), back.hashCode());
    assertEquals(1, wrapped.position(), "the caller's buffer is not consumed");
    ByteBuffer direct = ByteBuffer.allocateDirect(2).put((byte) 4).put((byte) 5).flip();
    assertEquals(direct, roundTrip(direct));
    assertEquals(Pair.of(ByteBuffer.wrap(new byte[0]), 1), roundTrip(Pair.of(ByteBuffer.wrap(new byte[0]), 1)));
  }

  @Test
  void roundTripsStringsIncludingNonAsciiSurrogatesAndLongOnes() {
    for (String s : List.of("", "a", "hello world", "grüße", "日本語テキスト", "emoji \uD83D\uDE00 pair",
        "lone high \uD800 x", "lone low \uDC00", "end high \uD83D", "\u0000nul\u0000", "\u07FF\u0800\uFFFF")) {
      assertRoundTrip(s);
    }
    String longAscii = "x".repeat(50_000);
    assertRoundTrip(longAscii);
    String longMixed = "aé日\uD83D\uDE00".repeat(10_000);
    assertRoundTrip(longMixed);
  }

  @Test
  void validTextIsPlainUtf8() {
    String s = "grüße \uD83D\uDE00";
    byte[] bytes = ser.serialize(s);
    byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(WeftSerializer.STRING, bytes[0]);
    assertEquals(utf8.length, bytes[1]);
    assertArrayEquals(utf8, Arrays.copyOfRange(bytes, 2, bytes.length));
  }

  @Test
  void roundTripsPairsAndListsRecursively() {
    assertRoundTrip(Pair.of("k", 1));
    assertRoundTrip(Pair.of(null, null));
    assertRoundTrip(Pair.of(Pair.of(1L, "a"), List.of(1, "two", 3.0, Pair.of('c', (byte) 4))));
    Object back = roundTrip(new LinkedList<>(List.of(1, 2, 3)));
    assertInstanceOf(ArrayList.class, back);
    assertEquals(List.of(1, 2, 3), back);
    List<Object> withNull = new ArrayList<>(Arrays.asList(1, null, List.of()));
    assertEquals(withNull, roundTrip(withNull));
  }

  @Test
  void usesKryoForOtherTypes() {
    assertRoundTrip(new Point(7, "seven"));
    assertRoundTrip(new BigDecimal("12345678901234567890.123"));
    assertRoundTrip(Pair.of(new Point(1, "a"), List.of(new Point(2, null))));
    byte[] bytes = ser.serialize(new Point(1, "a"));
    assertEquals(WeftSerializer.KRYO, bytes[0]);
  }

  @Test
  void isCompact() {
    // PAIR STRING len 'a' 'b' INT zigzag(3)
    assertEquals(7, ser.serialize(Pair.of("ab", 3)).length);
    assertEquals(2, ser.serialize(-1L).length);
  }

  @Test
  void streamsManyMixedValuesAndEndsWithEof() throws IOException {
    Random rnd = new Random(7);
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      switch (rnd.nextInt(5)) {
        case 0 -> values.add("s" + rnd.nextInt(1000));
        case 1 -> values.add(rnd.nextLong());
        case 2 -> values.add(Pair.of(rnd.nextInt(), rnd.nextDouble()));
        case 3 -> values.add(i % 100 == 0 ? new Point(i, "p") : null);
        default -> values.add(new byte[rnd.nextInt(20)].length);
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (SerializationStream out = ser.serializeStream(bytes)) {
      for (Object v : values) {
        out.writeObject(v);
      }
    }
    try (DeserializationStream in = ser.deserializeStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      for (Object v : values) {
        assertEquals(v, in.readObject());
      }
      assertThrows(EOFException.class, in::readObject);
    }
    Iterator<Object> it = ser.deserializeStream(new ByteArrayInputStream(bytes.toByteArray())).asIterator();
    List<Object> back = new ArrayList<>();
    it.forEachRemaining(back::add);
    assertEquals(values, back);
  }

  @Test
  void emptyStreamIsACleanEof() throws IOException {
    DeserializationStream in = ser.deserializeStream(new ByteArrayInputStream(new byte[0]));
    assertThrows(EOFException.class, in::readObject);
    assertFalse(ser.deserializeStream(new ByteArrayInputStream(new byte[0])).asIterator().hasNext());
  }

  @Test
  void truncatedStreamIsAnErrorNotAnEof() {
    byte[] bytes = ser.serialize(Pair.of("a long enough string", 123456789L));
    for (int cut = 1; cut < bytes.length; cut++) {
      byte[] shortBytes = Arrays.copyOf(bytes, cut);
      IOException e = assertThrows(IOException.class,
          () -> ser.deserializeStream(new ByteArrayInputStream(shortBytes)).readObject());
      assertFalse(e instanceof EOFException, "cut at " + cut + " must not look like a clean end");
    }
    byte[] garbage = {99};
    assertThrows(UncheckedIOException.class, () -> ser.deserialize(garbage));
  }

  @Test
  void fallbackStillResolvesWhenTheContextLoaderCannotSeeTheClass() {
    byte[] bytes = ser.serialize(new Point(3, "c"));
    Thread t = Thread.currentThread();
    ClassLoader saved = t.getContextClassLoader();
    ClassLoader empty = new ClassLoader(null) {};
    try {
      t.setContextClassLoader(empty);
      // the context loader cannot see Point: resolution must fall back, not fail (a new
      // instance, so its Kryo is made under this loader)
      assertEquals(new Point(3, "c"), new WeftSerializer().newInstance().deserialize(bytes));
    } finally {
      t.setContextClassLoader(saved);
    }
  }
}
