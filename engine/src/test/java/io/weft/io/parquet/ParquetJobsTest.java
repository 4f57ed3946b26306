package io.weft.io.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.io.avro.Users;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code parquetFile} and {@code saveAsParquetFile} in whole jobs on a local[2] context. */
@Timeout(120)
class ParquetJobsTest {
  @TempDir static Path tmp;
  private static WeftContext wc;

  @BeforeAll
  static void start() {
    wc = WeftContext.create(new WeftConf(false).setMaster("local[2]").setAppName("parquet-jobs")
        .set("weft.local.dir", tmp.resolve("local").toString())
        // small row groups, so a part file holds several
        .set("weft.hadoop.parquet.block.size", "65536"));
  }

  @AfterAll
  static void stop() {
    wc.close();
  }

  private static org.apache.hadoop.fs.Path hpath(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  /** Every record of {@code part}, read with parquet-avro's own reader, as generic records. */
  private static List<GenericRecord> readWithParquet(Path part) throws IOException {
    Configuration conf = new Configuration();
    List<GenericRecord> out = new ArrayList<>();
    try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(
        HadoopInputFile.fromPath(hpath(part), conf)).withDataModel(GenericData.get()).withConf(conf).build()) {
      for (GenericRecord g = r.read(); g != null; g = r.read()) {
        out.add(g);
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"uncompressed", "snappy", "gzip", "zstd"})
  void savedFilesAreReadByParquetItselfRecordForRecord(String codec) throws IOException {
    Path out = tmp.resolve("out-" + codec);

    wc.parallelize(IntStream.range(0, 20_000).boxed().toList(), 2)
        .map(i -> Users.user(i))
        .saveAsParquetFile(out.toString(), Users.SCHEMA, codec);

    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    List<GenericRecord> back = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      Path part = out.resolve(String.format("part-%05d.parquet", p));
      try (ParquetFileReader f = ParquetFileReader.open(HadoopInputFile.fromPath(hpath(part), new Configuration()))) {
        List<BlockMetaData> groups = f.getFooter().getBlocks();
        assertTrue(groups.size() > 1, "row groups of " + part + ": " + groups.size());
        assertEquals(codec.toUpperCase(), groups.get(0).getColumns().get(0).getCodec().name());
      }
      back.addAll(readWithParquet(part));
    }
    assertEquals(Users.json(Users.users(20_000)), Users.json(back));
  }

  @Test
  void avroToParquetWithFilterReadsBack() throws IOException {
    Path avro = tmp.resolve("users.avro");
    Users.write(avro.toFile(), Users.SCHEMA, Users.users(10_000), 4096, CodecFactory.snappyCodec());
    Path out = tmp.resolve("from-avro");

    wc.avroFile(avro.toString()).filter(r -> (Integer) r.get("age") >= 80)
        .saveAsParquetFile(out.toString(), Users.SCHEMA);

    List<Long> ids = wc.parquetFile(out.toString(), null, FilterApi.lt(FilterApi.longColumn("id"), 5_000L))
        .map(r -> (Long) r.get("id")).collect();
    List<Long> expected = Users.users(10_000).stream()
        .filter(r -> (Integer) r.get("age") >= 80 && (Long) r.get("id") < 5_000).map(r -> (Long) r.get("id")).toList();
    assertEquals(expected, ids.stream().sorted().toList());
  }

  @Test
  void corruptInputFailsTheJobNamingTheFileAndLeavesNoOutput() throws IOException {
    Path good = tmp.resolve("good-for-corruption");
    wc.parallelize(IntStream.range(0, 5000).boxed().toList(), 1).map(i -> Users.user(i))
        .saveAsParquetFile(good.toString(), Users.SCHEMA, "uncompressed");
    Path bad = tmp.resolve("corrupt.parquet");
    byte[] bytes = Files.readAllBytes(good.resolve("part-00000.parquet"));
    for (int i = 4; i < bytes.length / 2; i++) {
      bytes[i] = (byte) (i * 31); // the column data, not the footer
    }
    Files.write(bad, bytes);
    Path out = tmp.resolve("from-corrupt");

    RuntimeException e = assertThrows(RuntimeException.class,
        () -> wc.parquetFile(bad.toString()).saveAsAvroFile(out.toString(), Users.SCHEMA));

    String causes = io.weft.io.avro.AvroJobsTest.causes(e);
    assertTrue(causes.contains("Cannot read file:" + bad), causes);
    assertFalse(Files.exists(out), "no output directory after a failed job");
  }

  @Test
  void failingJobLeavesNoOutputAndUnknownCodecIsRefused() {
    Path out = tmp.resolve("failed");
    assertThrows(RuntimeException.class, () ->
        wc.parallelize(IntStream.range(0, 100).boxed().toList(), 4)
            .map(i -> {
              if (i == 99) {
                throw new IllegalStateException("boom");
              }
              return Users.user(i);
            })
            .saveAsParquetFile(out.toString(), Users.SCHEMA));
    assertFalse(Files.exists(out));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        wc.parallelize(List.of(1), 1).map(i -> Users.user(i))
            .saveAsParquetFile(tmp.resolve("x").toString(), Users.SCHEMA, "rar"));
    assertTrue(e.getMessage().contains("rar"), e.getMessage());
  }
}
