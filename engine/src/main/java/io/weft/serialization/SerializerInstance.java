package io.weft.serialization;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** One thread's handle on a {@link Serializer}: streams over records, or single objects. */
public interface SerializerInstance {
  SerializationStream serializeStream(OutputStream out);

  DeserializationStream deserializeStream(InputStream in);

  default byte[] serialize(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (SerializationStream s = serializeStream(bytes)) {
      s.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @SuppressWarnings("unchecked")
  default <T> T deserialize(byte[] bytes) {
    try (DeserializationStream s = deserializeStream(new ByteArrayInputStream(bytes))) {
      return (T) s.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
