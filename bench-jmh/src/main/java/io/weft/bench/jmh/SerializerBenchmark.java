package io.weft.bench.jmh;

import io.weft.Pair;
import io.weft.serialization.DeserializationStream;
import io.weft.serialization.JavaSerializer;
import io.weft.serialization.SerializationStream;
import io.weft.serialization.Serializer;
import io.weft.serialization.SerializerInstance;
import io.weft.serialization.WeftSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Writing then reading back a stream of {@value #RECORDS} shuffle records (key and value),
 * per record: Weft's fast paths ({@code Pair<String, Long>}, what WordCount shuffles), a user's
 * record class through Kryo (unregistered and registered), and plain Java serialization of the
 * same records. {@code bytesPerRecord} is printed once per trial so size and speed can be read
 * together.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SerializerBenchmark {
  static final int RECORDS = 1000;

  public enum Kind { VIEW, CLICK, BUY }

  /** A user's record type with no fast path. */
  public record Visit(String user, Kind kind, long timestamp, List<String> tags, String note) implements Serializable {}

  /**
   * {@code weft-strings}: Pair(String, Long) records through the fast paths; {@code weft-kryo},
   * {@code weft-kryo-registered}: Visit keys through Kryo; {@code java-strings},
   * {@code java-records}: the same through Java serialization (weft.serializer=java).
   */
  @Param({"weft-strings", "java-strings", "weft-kryo", "weft-kryo-registered", "java-records"})
  public String variant;

  private SerializerInstance serializer;
  private Object[] keys;
  private Object[] values;
  private ByteArrayOutputStream buffer;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Serializer s = switch (variant) {
      case "weft-strings", "weft-kryo" -> new WeftSerializer();
      case "weft-kryo-registered" -> new WeftSerializer(List.of(Visit.class.getName(), Kind.class.getName()), true);
      case "java-strings", "java-records" -> new JavaSerializer();
      default -> throw new IllegalArgumentException(variant);
    };
    serializer = s.newInstance();
    boolean strings = variant.endsWith("strings");
    keys = new Object[RECORDS];
    values = new Object[RECORDS];
    for (int i = 0; i < RECORDS; i++) {
      if (strings) {
        keys[i] = "word" + (i % 5000);
        values[i] = (long) i;
      } else {
        keys[i] = new Visit("user" + (i % 1000), Kind.values()[i % 3], 1_700_000_000_000L + i,
            i % 7 == 0 ? List.of() : List.of("t" + (i % 5), "mobile"), i % 4 == 0 ? null : "n" + (i % 3));
        values[i] = Pair.of(i, Map.of("k", i));
      }
    }
    buffer = new ByteArrayOutputStream(1 << 20);
    writeAll();
    System.out.printf("%n%s: %.1f bytes per record%n", variant, buffer.size() / (double) RECORDS);
  }

  private void writeAll() throws IOException {
    buffer.reset();
    try (SerializationStream out = serializer.serializeStream(buffer)) {
      for (int i = 0; i < RECORDS; i++) {
        out.writeKeyValue(keys[i], values[i]);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public void writeRecords() throws IOException {
    writeAll();
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public void writeAndReadRecords(Blackhole bh) throws IOException {
    writeAll();
    try (DeserializationStream in = serializer.deserializeStream(new ByteArrayInputStream(buffer.toByteArray()))) {
      for (int i = 0; i < 2 * RECORDS; i++) {
        bh.consume(in.readObject());
      }
    }
  }
}
