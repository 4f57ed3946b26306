package io.weft.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.io.avro.TestUser;
import io.weft.io.avro.Users;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The Avro record path of {@link WeftSerializer}: binary encoding, schema once per stream. */
class AvroRecordCodecTest {
  private static final Schema POINT = SchemaBuilder.record("Point").fields()
      .requiredInt("x").requiredInt("y").endRecord();

  private final SerializerInstance ser = new WeftSerializer().newInstance();

  private static GenericRecord point(int x, int y) {
    GenericRecord r = new GenericData.Record(POINT);
    r.put("x", x);
    r.put("y", y);
    return r;
  }

  private byte[] write(List<?> values) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (SerializationStream out = ser.serializeStream(bytes)) {
      for (Object v : values) {
        out.writeObject(v);
      }
    }
    return bytes.toByteArray();
  }

  private List<Object> read(byte[] bytes) {
    List<Object> out = new ArrayList<>();
    ser.deserializeStream(new ByteArrayInputStream(bytes)).asIterator().forEachRemaining(out::add);
    return out;
  }

  @Test
  void mixedSchemasGenericAndSpecificRoundTrip() throws IOException {
    List<Object> values = List.of(Users.user(1), point(1, 2), Pair.of("k", Users.user(2)),
        new TestUser(3, "c", 30, null), point(3, 4), Users.user(4), new TestUser(5, "e", 50, "e@x"));

    List<Object> back = read(write(values));

    assertEquals(Users.json(values), Users.json(back));
    assertInstanceOf(GenericData.Record.class, back.get(0), "generic stays generic");
    assertInstanceOf(TestUser.class, back.get(3), "specific comes back as its class");
  }

  @Test
  void schemaIsWrittenOncePerStream() throws IOException {
    int one = write(List.of(Users.user(1))).length;
    int thousand = write(Users.users(1000)).length;
    int schemaJson = Users.SCHEMA.toString().length();

    // each further record costs its binary encoding plus ~3 header bytes, not the schema again
    assertTrue(one > schemaJson, "first record carries the schema: " + one);
    assertTrue(thousand - one < 999 * 40, "1000 records: " + thousand + " bytes");
  }

  @Test
  void concatenatedStreamsDecodeBecauseEachDefinesItsSchemas() throws IOException {
    byte[] a = write(List.of(point(1, 1), Users.user(1)));
    byte[] b = write(List.of(Users.user(2), point(2, 2))); // ids in the opposite order
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);

    assertEquals(Users.json(List.of(point(1, 1), Users.user(1), Users.user(2), point(2, 2))),
        Users.json(read(both)));
  }
}
