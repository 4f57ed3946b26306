package io.weft.serialization;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Iterator;

/**
 * Records a task sends back to the driver (what {@code collect}, {@code take}, {@code lookup} and
 * {@code reduce} bring home), written with the application's data serializer as a shuffle writes
 * them, not with Java serialization: a record that can go through a shuffle (an Avro record, a
 * class that is not {@code Serializable}) can be collected too. The task result is then just the
 * bytes. As in Spark, whose executors serialize task results with the data serializer.
 */
public final class RecordBatches {
  private RecordBatches() {}

  /** {@code records}, in order, as one stream of {@code serializer}. */
  public static byte[] write(Serializer serializer, Iterator<?> records) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (SerializationStream out = serializer.newInstance().serializeStream(bytes)) {
      while (records.hasNext()) {
        out.writeObject(records.next());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Adds the records of {@code batch} (written by {@link #write}) to {@code out}, in order. */
  @SuppressWarnings("unchecked")
  public static <T> void readInto(Serializer serializer, byte[] batch, Collection<? super T> out) {
    try (DeserializationStream in = serializer.newInstance().deserializeStream(new ByteArrayInputStream(batch))) {
      Iterator<Object> records = in.asIterator();
      while (records.hasNext()) {
        out.add((T) records.next());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
