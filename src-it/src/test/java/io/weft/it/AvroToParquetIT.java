package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.examples.AvroToParquet;
import io.weft.it.yarn.WeftOnYarn;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The AvroToParquet example in local mode and on the embedded YARN, over Avro orders on HDFS
 * written by Avro's own writer (with an extra field the example's reader schema drops): the
 * Parquet output, read by parquet-avro's own reader, equals a plain-Java computation.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class AvroToParquetIT {
  /** The files' schema: the example's fields plus one it does not read. */
  private static final Schema WRITTEN = SchemaBuilder.record("Order").namespace("io.weft.examples").fields()
      .requiredLong("id")
      .requiredString("country")
      .requiredString("status")
      .requiredLong("amount")
      .endRecord();
  private static final List<String> COUNTRIES = List.of("NZ", "DE", "BR", "JP", "KE", "CA", "IN");
  private static final List<String> STATUSES = List.of("PAID", "PAID", "PAID", "REFUNDED", "OPEN");

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(2).blockSize(256 * 1024).build();

  private static FileSystem fs;
  /** country -> [paid orders, paid total] */
  private static final Map<String, long[]> EXPECTED = new TreeMap<>();

  @BeforeAll
  static void writeOrders() throws IOException {
    fs = CLUSTER.fileSystem();
    Random random = new Random(20261130L);
    for (int f = 0; f < 3; f++) {
      try (OutputStream out = fs.create(new Path("/in/orders/part-" + f + ".avro"));
          DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<>(WRITTEN))) {
        w.setCodec(CodecFactory.snappyCodec());
        w.setSyncInterval(8 * 1024);
        w.create(WRITTEN, out);
        for (int i = 0; i < 60_000; i++) {
          GenericRecord o = new GenericData.Record(WRITTEN);
          String country = COUNTRIES.get(random.nextInt(COUNTRIES.size()));
          String status = STATUSES.get(random.nextInt(STATUSES.size()));
          long amount = 1 + random.nextInt(10_000);
          o.put("id", f * 1_000_000L + i);
          o.put("country", country);
          o.put("status", status);
          o.put("amount", amount);
          w.append(o);
          if (status.equals("PAID")) {
            long[] t = EXPECTED.computeIfAbsent(country, c -> new long[2]);
            t[0]++;
            t[1] += amount;
          }
        }
      }
    }
  }

  private static String uri(String path) {
    return fs.makeQualified(new Path(path)).toString();
  }

  @Test
  void localMode() throws Exception {
    SystemProperties.with(Map.of("weft.master", "local[2]"),
        () -> AvroToParquet.main(new String[] {uri("/in/orders"), uri("/out/local")}));
    checkOutput(new Path("/out/local"));
  }

  @Test
  void onYarn() throws Exception {
    WeftOnYarn.Run run = WeftOnYarn.run(CLUSTER, AvroToParquet.class.getName(), WeftOnYarn.examplesJar(),
        List.of(uri("/in/orders"), uri("/out/yarn")), WeftOnYarn.settings("yarn-avro-to-parquet", 2));
    try {
      assertEquals(0, run.exitCode(), run.output());
      assertEquals(FinalApplicationStatus.SUCCEEDED,
          WeftOnYarn.report(CLUSTER, run.appId()).getFinalApplicationStatus());
      checkOutput(new Path("/out/yarn"));
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(run.appId().toString(), System.err);
      throw e;
    }
  }

  private static void checkOutput(Path out) throws IOException {
    assertTrue(fs.exists(new Path(out, "_SUCCESS")));
    Map<String, long[]> actual = new TreeMap<>();
    Configuration conf = CLUSTER.configuration();
    for (FileStatus part : fs.globStatus(new Path(out, "part-*.parquet"))) {
      try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(
          HadoopInputFile.fromPath(part.getPath(), conf)).withDataModel(GenericData.get()).withConf(conf).build()) {
        for (GenericRecord row = r.read(); row != null; row = r.read()) {
          long[] previous = actual.put(row.get("country").toString(),
              new long[] {(Long) row.get("orders"), (Long) row.get("total")});
          assertFalse(previous != null, "country twice: " + row);
        }
      }
    }
    assertEquals(EXPECTED.keySet(), actual.keySet());
    EXPECTED.forEach((c, t) -> assertEquals(List.of(t[0], t[1]), List.of(actual.get(c)[0], actual.get(c)[1]), c));
  }
}
