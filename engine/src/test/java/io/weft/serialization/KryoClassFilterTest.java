package io.weft.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.BadAttributeValueExpException;
import org.apache.commons.collections.functors.InvokerTransformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Records read by Kryo pass the same deserialization filter as Java streams: a class name in a
 * Kryo record that the filter refuses (a gadget class, or one refused by
 * {@code weft.serializer.java.filter}) fails the read naming it, at the top level, inside another
 * record, and inside the Java serialization Kryo embeds for JDK classes; an explicit allow in the
 * setting lets a refused class through, as for Java streams.
 */
class KryoClassFilterTest {
  /** A user record with a field of any type: the class of its value is named in the record. */
  record Envelope(String label, Object payload) {}

  record Point(int x, int y) {}

  @AfterEach
  void restoreDefault() {
    JavaDeserializationFilter.configure("");
  }

  private static Object roundTrip(Object value) {
    SerializerInstance ser = new WeftSerializer().newInstance();
    return ser.deserialize(ser.serialize(value));
  }

  /** The failure of reading {@code value} back, which must be the filter's refusal of {@code refusedClass}. */
  private static void refused(Object value, String refusedClass) {
    SerializerInstance ser = new WeftSerializer().newInstance();
    byte[] bytes = ser.serialize(value); // writing is not checked: the bytes are what an attacker sends
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ser.deserialize(bytes));
    String chain = chain(e);
    assertTrue(chain.contains(refusedClass), chain);
    assertTrue(chain.contains("deserialization filter"), chain);
  }

  @Test
  void aGadgetClassNamedByAKryoRecordIsRefused() {
    refused(new InvokerTransformer("exec"), InvokerTransformer.class.getName());
  }

  @Test
  void aGadgetClassInsideAnAllowedRecordIsRefused() {
    refused(new Envelope("x", new InvokerTransformer("exec")), InvokerTransformer.class.getName());
    refused(List.of(new Envelope("x", List.of(new InvokerTransformer("exec")))), InvokerTransformer.class.getName());
  }

  /** Kryo writes a JDK class it cannot open with Java serialization; that stream is filtered too. */
  @Test
  void aGadgetInsideJavaSerializationEmbeddedByKryoIsRefused() {
    Map<String, Object> inner = new HashMap<>(Map.of("k", new BadAttributeValueExpException("v")));
    Map<String, Object> unmodifiable = Collections.unmodifiableMap(inner);
    refused(unmodifiable, BadAttributeValueExpException.class.getName());
  }

  @Test
  void theSettingRefusesMoreAndAnExplicitAllowWins() {
    Point p = new Point(3, 4);
    assertEquals(p, roundTrip(p), "allowed by default");
    JavaDeserializationFilter.configure("!" + Point.class.getName());
    refused(new Envelope("p", p), Point.class.getName());
    JavaDeserializationFilter.configure(InvokerTransformer.class.getName());
    Envelope back = (Envelope) roundTrip(new Envelope("ok", new InvokerTransformer("ok")));
    assertEquals("ok", ((InvokerTransformer) back.payload()).method);
  }

  @Test
  void ordinaryRecordsAndJdkFallbacksStillRoundTrip() {
    Map<String, List<Integer>> unmodifiable = Collections.unmodifiableMap(new HashMap<>(Map.of("a", List.of(1, 2))));
    assertEquals(unmodifiable, roundTrip(unmodifiable));
    Envelope e = new Envelope("p", new Point(1, 2));
    assertEquals(e, roundTrip(e));
  }

  private static String chain(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      b.append(c).append(" <- ");
    }
    return b.toString();
  }
}
