package io.weft.io.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.io.OutputAlreadyExistsException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code avroFile} and {@code saveAsAvroFile} in whole jobs on a local[2] context: files Weft
 * writes are read back by Avro's own reader, generic records cross a shuffle, failures leave no
 * output.
 */
@Timeout(120)
public class AvroJobsTest {
  @TempDir static Path tmp;
  private static WeftContext wc;

  @BeforeAll
  static void start() {
    wc = WeftContext.create(new WeftConf(false).setMaster("local[2]").setAppName("avro-jobs")
        .set("weft.local.dir", tmp.resolve("local").toString()));
  }

  @AfterAll
  static void stop() {
    wc.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "deflate", "snappy", "zstandard"})
  void savedFilesAreReadByAvroItselfRecordForRecord(String codec) throws IOException {
    Path out = tmp.resolve("out-" + codec);

    wc.parallelize(IntStream.range(0, 3000).boxed().toList(), 3)
        .map(i -> Users.user(i))
        .saveAsAvroFile(out.toString(), Users.SCHEMA, codec);

    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    List<GenericRecord> back = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      File part = out.resolve(String.format("part-%05d.avro", p)).toFile();
      try (DataFileReader<GenericRecord> r = new DataFileReader<>(part, new GenericDatumReader<>())) {
        assertEquals(codec, r.getMetaString("avro.codec"));
        r.forEach(back::add);
      }
    }
    assertEquals(Users.json(Users.users(3000)), Users.json(back));
  }

  @Test
  void genericRecordsCrossAShuffle() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("shuffle-in"));
    List<GenericRecord> users = Users.users(20_000);
    Users.write(in.resolve("a.avro").toFile(), Users.SCHEMA, users.subList(0, 12_000), 2048, CodecFactory.nullCodec());
    Users.write(in.resolve("b.avro").toFile(), Users.SCHEMA, users.subList(12_000, 20_000), 2048, CodecFactory.nullCodec());

    // records are the shuffled values: they take the serializer's Avro path (Java serialization
    // would fail: GenericData.Record is not Serializable)
    List<Pair<Integer, Long>> byAge = wc.avroFile(in.toString())
        .mapToPair(r -> Pair.of((Integer) r.get("age") % 7, r))
        .groupByKey(3)
        .mapValues(records -> {
          long sum = 0;
          for (GenericRecord r : records) {
            sum += (Long) r.get("id");
          }
          return sum;
        })
        .collect();

    Map<Integer, Long> expected = users.stream().collect(Collectors.groupingBy(
        r -> (Integer) r.get("age") % 7, TreeMap::new, Collectors.summingLong(r -> (Long) r.get("id"))));
    assertEquals(expected, new TreeMap<>(byAge.stream().collect(Collectors.toMap(Pair::key, Pair::value))));
  }

  @Test
  void specificRecordsRoundTripThroughSaveAndRead() throws IOException {
    Path out = tmp.resolve("specific-out");

    wc.parallelize(IntStream.range(0, 500).boxed().toList(), 2)
        .map(i -> new TestUser(i, "user-" + i, i % 90, i % 10 == 0 ? null : "u" + i + "@example.org"))
        .saveAsAvroFile(out.toString(), TestUser.SCHEMA$, "deflate");

    List<Long> ids = wc.avroFile(out.toString(), TestUser.class).map(TestUser::id).collect();
    assertEquals(IntStream.range(0, 500).mapToObj(i -> (long) i).toList(), ids.stream().sorted().toList());
  }

  @Test
  void failingJobLeavesNoOutputDirectory() {
    Path out = tmp.resolve("failed-out");

    RuntimeException e = assertThrows(RuntimeException.class, () ->
        wc.parallelize(IntStream.range(0, 100).boxed().toList(), 4)
            .map(i -> {
              if (i == 77) {
                throw new IllegalStateException("boom at 77");
              }
              return Users.user(i);
            })
            .saveAsAvroFile(out.toString(), Users.SCHEMA));

    assertTrue(String.valueOf(e.getMessage()).contains("boom at 77")
        || String.valueOf(e.getCause()).contains("boom at 77"), e.toString());
    assertFalse(Files.exists(out), "no output directory after a failed job");
  }

  @Test
  void recordOfTheWrongTypeFailsNamingItsClassAndLeavesNoOutput() {
    Path out = tmp.resolve("wrong-type-out");

    RuntimeException e = assertThrows(RuntimeException.class, () ->
        wc.parallelize(List.of("a", "b"), 1).saveAsAvroFile(out.toString(), Users.SCHEMA));

    assertTrue(causes(e).contains("java.lang.String, not an Avro record"), causes(e));
    assertFalse(Files.exists(out));
  }

  @Test
  void existingOutputAndUnknownCodecAreRefusedBeforeAnyTask() throws IOException {
    Path existing = Files.createDirectories(tmp.resolve("exists"));
    assertThrows(OutputAlreadyExistsException.class, () ->
        wc.parallelize(List.of(1), 1).map(i -> Users.user(i)).saveAsAvroFile(existing.toString(), Users.SCHEMA));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        wc.parallelize(List.of(1), 1).map(i -> Users.user(i))
            .saveAsAvroFile(tmp.resolve("lz").toString(), Users.SCHEMA, "lz4"));
    assertTrue(e.getMessage().contains("lz4"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("lz")));
  }

  @Test
  void corruptInputFailsTheJobNamingTheFileAndLeavesNoOutput() throws IOException {
    Path bad = tmp.resolve("corrupt.avro");
    Users.write(bad.toFile(), Users.SCHEMA, Users.users(5000), 4096, CodecFactory.nullCodec());
    byte[] bytes = Files.readAllBytes(bad);
    for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) {
      bytes[i] = (byte) 0xff; // garbage in the middle of a block
    }
    Files.write(bad, bytes);
    Path out = tmp.resolve("from-corrupt");

    RuntimeException e = assertThrows(RuntimeException.class,
        () -> wc.avroFile(bad.toString()).saveAsParquetFile(out.toString(), Users.SCHEMA));

    assertTrue(causes(e).contains("Cannot read file:" + bad), causes(e));
    assertFalse(Files.exists(out), "no output directory after a failed job");
  }

  public static String causes(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t).append(" | ");
    }
    return b.toString();
  }
}
