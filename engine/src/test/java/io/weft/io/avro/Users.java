package io.weft.io.avro;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/** The test records of the format tests, written and read with the Avro library itself. */
public final class Users {
  public static final Schema SCHEMA = new Schema.Parser().parse("""
      {"type": "record", "name": "TestUser", "namespace": "io.weft.io.avro", "fields": [
        {"name": "id", "type": "long"},
        {"name": "name", "type": "string"},
        {"name": "age", "type": "int"},
        {"name": "email", "type": ["null", "string"], "default": null}
      ]}""");

  private Users() {}

  /** User {@code i}: every 10th has no email. */
  public static GenericRecord user(long i) {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("id", i);
    r.put("name", "user-" + i);
    r.put("age", (int) (i % 90));
    r.put("email", i % 10 == 0 ? null : "u" + i + "@example.org");
    return r;
  }

  public static List<GenericRecord> users(int n) {
    List<GenericRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(user(i));
    }
    return out;
  }

  /** Writes {@code records} with Avro's own writer, a sync marker about every {@code syncInterval} bytes. */
  public static void write(File file, Schema schema, List<GenericRecord> records, int syncInterval,
      CodecFactory codec) throws IOException {
    try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
      w.setSyncInterval(syncInterval);
      w.setCodec(codec);
      w.create(schema, file);
      for (GenericRecord r : records) {
        w.append(r);
      }
    }
  }

  /** Every record of an Avro data file, read with Avro's own reader. */
  public static List<GenericRecord> read(File file) throws IOException {
    List<GenericRecord> out = new ArrayList<>();
    try (DataFileReader<GenericRecord> r = new DataFileReader<>(file, new GenericDatumReader<>())) {
      r.forEach(out::add);
    }
    return out;
  }

  /** JSON strings of {@code records}: equal for equal field values, whatever the record class. */
  public static List<String> json(List<? extends Object> records) {
    return records.stream().map(Object::toString).toList();
  }
}
