package io.weft.serialization;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The {@link WeftSerializer} fast path for Avro records ({@code GenericRecord} and generated
 * {@code SpecificRecord}s), which are not {@code Serializable}: each record is Avro's binary
 * encoding, and its schema travels once per stream.
 *
 * <p>Format, after the serializer's {@code AVRO} tag:
 * <pre>
 *   varint h            h = id &lt;&lt; 1 | d; d = 1 when a definition follows
 *   [definition]        byte kind (0 generic, 1 specific), string schema JSON   (only if d = 1)
 *   varint length, the record's Avro binary encoding
 * </pre>
 * A writer defines an id before its first use, so every stream (each shuffle partition segment
 * is one) is readable on its own, and concatenated streams still decode: a later definition of
 * the same id replaces the earlier one. Example: 10,000 records of one schema cost one schema
 * JSON plus about 2 bytes of header each, against a class descriptor per record for Java
 * serialization (which would fail anyway).
 *
 * <p>A specific record is read back as its class when the task's class loader has it, otherwise
 * as a generic record. Threading: one stream's, like the serializer's streams.
 */
final class AvroRecordCodec {
  private AvroRecordCodec() {}

  /** Whether {@code v} takes this path. */
  static boolean handles(Object v) {
    return v instanceof IndexedRecord;
  }

  /** Per-stream writer state: the ids of the schemas this stream defined. */
  static final class Writer {
    private final Map<Schema, Integer> genericIds = new HashMap<>();
    private final Map<Schema, Integer> specificIds = new HashMap<>();
    private final List<DatumWriter<Object>> writers = new ArrayList<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;

    void write(RecordOutput out, IndexedRecord record) throws IOException {
      Schema schema = record.getSchema();
      boolean specific = record instanceof SpecificRecord;
      Map<Schema, Integer> ids = specific ? specificIds : genericIds;
      Integer id = ids.get(schema);
      if (id == null) {
        id = writers.size();
        ids.put(schema, id);
        writers.add(specific ? new SpecificDatumWriter<>(schema) : new GenericDatumWriter<>(schema));
        out.writeVarInt(id << 1 | 1);
        out.writeByte(specific ? 1 : 0);
        out.writeString(schema.toString());
      } else {
        out.writeVarInt(id << 1);
      }
      bytes.reset();
      encoder = EncoderFactory.get().directBinaryEncoder(bytes, encoder);
      writers.get(id).write(record, encoder);
      encoder.flush();
      out.writeVarInt(bytes.size());
      out.writeBytes(bytes.toByteArray(), 0, bytes.size());
    }
  }

  /** Per-stream reader state: the datum readers of the schemas defined so far. */
  static final class Reader {
    private final Map<Integer, DatumReader<Object>> readers = new HashMap<>();
    private BinaryDecoder decoder;
    private byte[] buffer = new byte[256];

    Object read(RecordInput in) throws IOException {
      int h = in.readVarInt();
      int id = h >>> 1;
      if ((h & 1) == 1) {
        boolean specific = in.readByte() == 1;
        Schema schema = new Schema.Parser().parse(in.readString());
        readers.put(id, specific
            ? new SpecificDatumReader<>(schema, schema, new SpecificData(loader()))
            : new GenericDatumReader<>(schema));
      }
      DatumReader<Object> reader = readers.get(id);
      if (reader == null) {
        throw new StreamCorruptedException("Avro record refers to schema " + id + ", never defined in this stream");
      }
      int length = in.readVarInt();
      if (length < 0) {
        throw new StreamCorruptedException("negative Avro record length " + length);
      }
      if (buffer.length < length) {
        buffer = new byte[Math.max(length, buffer.length * 2)];
      }
      in.readFully(buffer, 0, length);
      decoder = DecoderFactory.get().binaryDecoder(buffer, 0, length, decoder);
      return reader.read(null, decoder);
    }

    private static ClassLoader loader() {
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      return context != null ? context : AvroRecordCodec.class.getClassLoader();
    }
  }
}
