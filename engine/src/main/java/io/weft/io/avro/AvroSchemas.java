package io.weft.io.avro;

import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.specific.SpecificData;

/** Schema and codec checks shared by the Avro and Parquet sources and sinks. */
public final class AvroSchemas {
  private AvroSchemas() {}

  /** The schema of a generated specific record class ({@code SCHEMA$}), naming the class on failure. */
  public static Schema ofClass(Class<?> recordClass) {
    try {
      return SpecificData.get().getSchema(recordClass);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(recordClass.getName()
          + " is not an Avro specific record class (no SCHEMA$): " + e.getMessage(), e);
    }
  }

  /**
   * Fails, naming both sides, if data written with {@code writer} cannot be read with
   * {@code reader}: e.g. {@code reader field 'age' (/fields/1/type: string) cannot read writer's
   * int}, or a reader field missing from the file without a default.
   *
   * @param file the file, for the message
   * @throws SchemaMismatchException if the schemas do not resolve
   */
  public static void checkReadable(String file, Schema writer, Schema reader) {
    SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return;
    }
    String problems = result.getResult().getIncompatibilities().stream()
        .map(AvroSchemas::describe)
        .collect(Collectors.joining("; "));
    throw new SchemaMismatchException("The reader schema " + reader.getFullName()
        + " cannot read " + file + " (written as " + writer.getFullName() + "): " + problems);
  }

  private static String describe(Incompatibility i) {
    return i.getType() + " at " + i.getLocation() + ": reader has " + fragment(i.getReaderFragment())
        + ", file has " + fragment(i.getWriterFragment()) + " (" + i.getMessage() + ")";
  }

  private static String fragment(Schema s) {
    String json = s.toString();
    return json.length() <= 200 ? json : json.substring(0, 200) + "...";
  }

  /** Validates an Avro codec name on the driver ({@code null}, {@code deflate}, {@code snappy}, ...). */
  public static CodecFactory codec(String name) {
    try {
      return CodecFactory.fromString(name);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Unknown Avro codec '" + name
          + "' (expected null, deflate, snappy, zstandard, bzip2 or xz)", e);
    }
  }
}
