package io.weft.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.config.SecurityOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.BadAttributeValueExpException;
import org.apache.commons.collections.functors.InvokerTransformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JavaDeserializationFilterTest {
  private final SerializerInstance java = JavaSerializer.instance();

  @AfterEach
  void restoreDefault() {
    JavaDeserializationFilter.configure("");
  }

  @Test
  void ordinaryGraphsStillRoundTrip() throws IOException {
    Map<String, List<Integer>> value = new HashMap<>();
    value.put("a", new ArrayList<>(List.of(1, 2, 3)));
    value.put("b", List.of());
    Object back = java.deserialize(java.serialize(new Holder(value, new int[10_000])));
    assertEquals(value, ((Holder) back).payload);
    assertEquals(10_000, ((int[]) ((Holder) back).array).length);
  }

  @Test
  void commonsCollectionsFunctorNestedInAnOrdinaryObjectIsRefused() {
    byte[] bytes = java.serialize(new Holder(List.of(new InvokerTransformer("exec")), null));
    Throwable e = refused(() -> java.deserialize(bytes));
    assertTrue(e.getMessage().contains("weft.serializer.java.filter"), e.getMessage());
  }

  @Test
  void jmxEntryPointOfCommonsCollections5IsRefused() {
    byte[] bytes = java.serialize(new BadAttributeValueExpException("x"));
    refused(() -> java.deserialize(bytes));
  }

  @Test
  void theStreamOfWeftSerializersJavaFallbackIsFilteredToo() throws IOException {
    byte[] bytes = java.serialize(new Holder(new InvokerTransformer("exec"), null));
    try (ObjectInputStream in = new JavaSerializer.ContextObjectInputStream(new ByteArrayInputStream(bytes))) {
      assertThrows(InvalidClassException.class, in::readObject);
    }
  }

  @Test
  void arrayLengthAndDepthAreCapped() {
    JavaDeserializationFilter.configure("maxarray=1000;maxdepth=40");
    assertEquals(1000, ((long[]) java.deserialize(java.serialize(new long[1000]))).length);
    refused(() -> java.deserialize(java.serialize(new long[1001])));
    assertEquals(10, depth(java.deserialize(java.serialize(chain(10)))));
    refused(() -> java.deserialize(java.serialize(chain(100))));
  }

  @Test
  void extraClassPatternsRefuseMoreAndAreCheckedFirst() {
    JavaDeserializationFilter.configure("!java.util.ArrayList;org.apache.commons.collections.functors.InvokerTransformer");
    refused(() -> java.deserialize(java.serialize(new ArrayList<>(List.of(1)))));
    // an explicit allow wins over a built-in refusal: the user asked for it by name
    Object back = java.deserialize(java.serialize(new InvokerTransformer("ok")));
    assertEquals("ok", ((InvokerTransformer) back).method);
  }

  @Test
  void aMalformedSettingIsRefusedNamingTheKey() {
    WeftConf conf = new WeftConf(false).set(SecurityOptions.JAVA_FILTER.key(), "maxdepth=notanumber");
    Exception e = assertThrows(RuntimeException.class, () -> conf.get(SecurityOptions.JAVA_FILTER));
    assertTrue(e.getMessage().contains("weft.serializer.java.filter"), e.getMessage());
  }

  /** The failure of {@code read}, which must be the filter's refusal. */
  private static Throwable refused(org.junit.jupiter.api.function.Executable read) {
    UncheckedIOException e = assertThrows(UncheckedIOException.class, read);
    assertTrue(e.getCause() instanceof InvalidClassException, e.toString());
    return e.getCause();
  }

  private static Node chain(int length) {
    Node n = null;
    for (int i = 0; i < length; i++) {
      n = new Node(n);
    }
    return n;
  }

  private static int depth(Object n) {
    int d = 0;
    for (Node x = (Node) n; x != null; x = x.next) {
      d++;
    }
    return d;
  }

  record Holder(Object payload, Object array) implements Serializable {}

  record Node(Node next) implements Serializable {}
}
