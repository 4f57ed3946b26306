package io.weft.serialization;

import com.esotericsoftware.kryo.io.Output;
import io.weft.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The default record serializer: a compact tagged binary format with fast paths for the types
 * records are made of, and plain Java serialization only as the fallback.
 *
 * <p>Format: every value starts with a one-byte tag.
 * <pre>
 *   NULL                       tag only
 *   STRING                     varint byte length, UTF-8 bytes (unpaired surrogates as WTF-8)
 *   INT, LONG                  zigzag varint (small magnitudes take 1-2 bytes)
 *   DOUBLE, FLOAT, SHORT, CHAR fixed width, big-endian
 *   BYTE                       one byte
 *   TRUE, FALSE                tag only
 *   BYTES                      varint length, bytes
 *   PAIR                       key, value (each a tagged value: nesting is recursive)
 *   LIST                       varint size, elements (read back as an ArrayList)
 *   KRYO                       varint length, one object in Kryo (class name or registered id,
 *                              then its fields): every other type
 *   JAVA                       varint length, one object in Java serialization (a Serializable
 *                              class Kryo cannot handle, such as a java.* class closed to reflection)
 *   AVRO                       an Avro record, schema once per stream ({@link AvroRecordCodec})
 *   BYTE_BUFFER                varint length, the buffer's remaining bytes (read back as a heap
 *                              buffer: {@code ByteBuffer.wrap(bytes)} is how a byte[] becomes a key)
 * </pre>
 * Example: {@code Pair("ab", 3)} is {@code PAIR STRING 02 'a' 'b' INT 06}: 7 bytes, against
 * about 100 for Java serialization. A stream is a plain sequence of values with no header, so
 * an empty stream is valid and streams can be concatenated.
 *
 * <p>Types without a fast path (a user's POJO, record class or enum, maps, sets, arrays) go to
 * Kryo ({@link KryoCodec}): registration is optional ({@code weft.kryo.classesToRegister} saves
 * the class name per value). Java serialization, which writes a whole class descriptor per value
 * here, is only the last resort.
 *
 * <p>Threading: the serializer is immutable and shipped with task binaries; its instances and
 * streams are not thread-safe (one task thread each). Failure handling: a clean end of stream
 * is an {@link EOFException}; a stream cut inside a value, an unknown tag or a class that cannot
 * be loaded is another {@link IOException} naming the problem.
 */
public final class WeftSerializer implements Serializer {
  private static final long serialVersionUID = 1L;

  static final int NULL = 0;
  static final int STRING = 1;
  static final int INT = 2;
  static final int LONG = 3;
  static final int DOUBLE = 4;
  static final int FLOAT = 5;
  static final int SHORT = 6;
  static final int BYTE = 7;
  static final int TRUE = 8;
  static final int FALSE = 9;
  static final int CHAR = 10;
  static final int BYTES = 11;
  static final int PAIR = 12;
  static final int LIST = 13;
  static final int JAVA = 14;
  static final int BYTE_BUFFER = 15;
  static final int KRYO = 16;
  /** An Avro record: see {@link AvroRecordCodec}. */
  static final int AVRO = 17;

  /** Buffer of each stream: big enough to amortise calls on the underlying stream, small enough
   *  that a reduce task merging hundreds of spill segments does not notice it. */
  static final int BUFFER_SIZE = 8 * 1024;

  /** Class names registered with Kryo, in order (both sides must agree on it). */
  private final List<String> kryoClasses;
  private final boolean kryoReferences;

  /** No classes registered with Kryo, reference tracking on (for {@code weft.serializer} by class name). */
  public WeftSerializer() {
    this(List.of(), true);
  }

  /**
   * @param kryoClasses classes to register with Kryo, in order: their values are written with a
   *     small id instead of the class name
   * @param kryoReferences whether Kryo tracks references inside a value (shared objects stay
   *     shared, cycles work) at some cost per object
   */
  public WeftSerializer(List<String> kryoClasses, boolean kryoReferences) {
    this.kryoClasses = List.copyOf(kryoClasses);
    this.kryoReferences = kryoReferences;
  }

  @Override
  public SerializerInstance newInstance() {
    return new Instance(new KryoCodec(kryoClasses, kryoReferences));
  }

  @Override
  public String toString() {
    return "WeftSerializer" + (kryoClasses.isEmpty() ? "" : kryoClasses);
  }

  /** One task's handle: its streams share one Kryo, made on first use. */
  private static final class Instance implements SerializerInstance {
    private final KryoCodec kryo;

    Instance(KryoCodec kryo) {
      this.kryo = kryo;
    }

    @Override
    public SerializationStream serializeStream(OutputStream out) {
      return new Writer(new RecordOutput(out, BUFFER_SIZE), kryo);
    }

    @Override
    public DeserializationStream deserializeStream(InputStream in) {
      return new Reader(new RecordInput(in, BUFFER_SIZE), kryo);
    }
  }

  private static final class Writer implements SerializationStream {
    private final RecordOutput out;
    private final KryoCodec kryo;
    private ByteArrayOutputStream javaBytes; // reused by the fallback, created on first use
    private AvroRecordCodec.Writer avro; // created on the first Avro record

    Writer(RecordOutput out, KryoCodec kryo) {
      this.out = out;
      this.kryo = kryo;
    }

    @Override
    public void writeObject(Object v) throws IOException {
      // most frequent record types first; instanceof on a final class is one pointer compare
      if (v == null) {
        out.writeByte(NULL);
      } else if (v instanceof String s) {
        out.writeByte(STRING);
        out.writeString(s);
      } else if (v instanceof Integer i) {
        out.writeByte(INT);
        out.writeVarInt((i << 1) ^ (i >> 31));
      } else if (v instanceof Long l) {
        out.writeByte(LONG);
        out.writeVarLong((l << 1) ^ (l >> 63));
      } else if (v instanceof Pair<?, ?> p) {
        out.writeByte(PAIR);
        writeObject(p.key());
        writeObject(p.value());
      } else if (v instanceof Double d) {
        out.writeByte(DOUBLE);
        out.writeLong(Double.doubleToRawLongBits(d));
      } else {
        writeRare(v);
      }
    }

    private void writeRare(Object v) throws IOException {
      if (v instanceof byte[] b) {
        out.writeByte(BYTES);
        out.writeVarInt(b.length);
        out.writeBytes(b, 0, b.length);
      } else if (v instanceof ByteBuffer buffer) {
        // ByteBuffer is not Serializable; a duplicate leaves the caller's position alone
        ByteBuffer view = buffer.duplicate();
        byte[] b = new byte[view.remaining()];
        view.get(b);
        out.writeByte(BYTE_BUFFER);
        out.writeVarInt(b.length);
        out.writeBytes(b, 0, b.length);
      } else if (v instanceof Boolean b) {
        out.writeByte(b ? TRUE : FALSE);
      } else if (v instanceof Float f) {
        out.writeByte(FLOAT);
        out.writeInt(Float.floatToRawIntBits(f));
      } else if (v instanceof Short s) {
        out.writeByte(SHORT);
        out.writeShort(s);
      } else if (v instanceof Byte b) {
        out.writeByte(BYTE);
        out.writeByte(b);
      } else if (v instanceof Character c) {
        out.writeByte(CHAR);
        out.writeShort(c);
      } else if (v instanceof List<?> list) {
        out.writeByte(LIST);
        out.writeVarInt(list.size());
        for (Object e : list) {
          writeObject(e);
        }
      } else if (AvroRecordCodec.handles(v)) {
        if (avro == null) {
          avro = new AvroRecordCodec.Writer();
        }
        out.writeByte(AVRO);
        avro.write(out, (org.apache.avro.generic.IndexedRecord) v);
      } else {
        writeKryo(v);
      }
    }

    private void writeKryo(Object v) throws IOException {
      Output encoded = kryo.prefersJava(v) ? null : kryo.encode(v);
      if (encoded == null) {
        writeJava(v);
        return;
      }
      out.writeByte(KRYO);
      out.writeVarInt(encoded.position());
      out.writeBytes(encoded.getBuffer(), 0, encoded.position());
    }

    private void writeJava(Object v) throws IOException {
      if (javaBytes == null) {
        javaBytes = new ByteArrayOutputStream(256);
      }
      javaBytes.reset();
      // one ObjectOutputStream per object: each record must be readable on its own, and a
      // long-lived stream would keep every record it wrote reachable through its handle table
      try (ObjectOutputStream oos = new ObjectOutputStream(javaBytes)) {
        oos.writeObject(v);
      }
      out.writeByte(JAVA);
      out.writeVarInt(javaBytes.size());
      out.writeBytes(javaBytes.toByteArray(), 0, javaBytes.size());
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  private static final class Reader implements DeserializationStream {
    private final RecordInput in;
    private final KryoCodec kryo;
    private AvroRecordCodec.Reader avro; // created on the first Avro record

    Reader(RecordInput in, KryoCodec kryo) {
      this.in = in;
      this.kryo = kryo;
    }

    @Override
    public Object readObject() throws IOException {
      if (in.atCleanEnd()) {
        throw new EOFException();
      }
      return readValue();
    }

    private Object readValue() throws IOException {
      int tag = in.readByte();
      switch (tag) {
        case NULL:
          return null;
        case STRING:
          return in.readString();
        case INT: {
          int z = in.readVarInt();
          return (z >>> 1) ^ -(z & 1);
        }
        case LONG: {
          long z = in.readVarLong();
          return (z >>> 1) ^ -(z & 1);
        }
        case PAIR: {
          Object key = readValue();
          return new Pair<>(key, readValue());
        }
        case DOUBLE:
          return Double.longBitsToDouble(in.readLong());
        default:
          return readRare(tag);
      }
    }

    private Object readRare(int tag) throws IOException {
      switch (tag) {
        case TRUE:
          return Boolean.TRUE;
        case FALSE:
          return Boolean.FALSE;
        case FLOAT:
          return Float.intBitsToFloat(in.readInt());
        case SHORT:
          return in.readShort();
        case BYTE:
          return (byte) in.readByte();
        case CHAR:
          return (char) in.readShort();
        case BYTES: {
          byte[] b = new byte[checkedLength(in.readVarInt())];
          in.readFully(b, 0, b.length);
          return b;
        }
        case LIST: {
          int size = checkedLength(in.readVarInt());
          List<Object> list = new ArrayList<>(Math.min(size, 1 << 16));
          for (int i = 0; i < size; i++) {
            list.add(readValue());
          }
          return list;
        }
        case KRYO: {
          int length = checkedLength(in.readVarInt());
          in.readFully(kryo.readBuffer(length), 0, length);
          return kryo.decode(length);
        }
        case JAVA:
          return readJava();
        case BYTE_BUFFER: {
          byte[] b = new byte[checkedLength(in.readVarInt())];
          in.readFully(b, 0, b.length);
          return ByteBuffer.wrap(b);
        }
        case AVRO:
          if (avro == null) {
            avro = new AvroRecordCodec.Reader();
          }
          return avro.read(in);
        default:
          throw new StreamCorruptedException("unknown record tag " + tag + " (not written by WeftSerializer?)");
      }
    }

    private Object readJava() throws IOException {
      byte[] b = new byte[checkedLength(in.readVarInt())];
      in.readFully(b, 0, b.length);
      try (ObjectInputStream ois = new JavaSerializer.ContextObjectInputStream(new ByteArrayInputStream(b))) {
        return ois.readObject();
      } catch (ClassNotFoundException e) {
        throw new IOException("class not found while deserializing a record: " + e.getMessage(), e);
      }
    }

    private static int checkedLength(int n) throws StreamCorruptedException {
      if (n < 0) {
        throw new StreamCorruptedException("negative length " + n);
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
