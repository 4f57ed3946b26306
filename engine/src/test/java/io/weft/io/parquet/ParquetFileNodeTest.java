package io.weft.io.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.executor.ExecutorEnv;
import io.weft.io.FileSplitPartition;
import io.weft.io.InputReadException;
import io.weft.plan.Partition;
import io.weft.testing.TestingDriverEndpoint;
import io.weft.testing.TestingJobRunner;
import io.weft.testing.TestingTasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.compat.RowGroupFilter;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads Parquet files written by parquet-avro's own writer through {@link ParquetFileNode}'s
 * partitions and compute, without a scheduler: split exactness, projection, row-group filtering,
 * corrupt files.
 */
@Timeout(120)
class ParquetFileNodeTest {
  /** 20 columns: id, then 19 others (strings and longs). */
  static final Schema WIDE = wideSchema();
  static final int ROWS = 40_000;
  static final int ROWS_PER_GROUP = 2_000;

  @TempDir Path tmp;

  private WeftContext ctx;
  private ExecutorEnv env;

  @BeforeEach
  void setUp() throws IOException {
    ctx = TestingTasks.newContext();
    env = TestingTasks.executorEnv(Files.createDirectories(tmp.resolve("exec")), new TestingDriverEndpoint());
  }

  private static Schema wideSchema() {
    SchemaBuilder.FieldAssembler<Schema> f = SchemaBuilder.record("Wide").namespace("io.weft.test").fields()
        .requiredLong("id");
    for (int c = 1; c < 20; c++) {
      f = c % 2 == 0 ? f.requiredLong("l" + c) : f.requiredString("s" + c);
    }
    return f.endRecord();
  }

  static GenericRecord wide(long id) {
    GenericRecord r = new GenericData.Record(WIDE);
    r.put("id", id);
    for (int c = 1; c < 20; c++) {
      r.put(c % 2 == 0 ? "l" + c : "s" + c, c % 2 == 0 ? (Object) (id * c) : "v" + c + "-" + (id * 7919 % 100_000));
    }
    return r;
  }

  static List<GenericRecord> wideRows(int n) {
    List<GenericRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(wide(i));
    }
    return out;
  }

  /** Writes {@code rows} with parquet-avro's writer, {@link #ROWS_PER_GROUP} rows per row group. */
  static void writeWide(Path file, List<GenericRecord> rows) throws IOException {
    try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(
            HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
        .withSchema(WIDE)
        .withRowGroupRowCountLimit(ROWS_PER_GROUP)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .build()) {
      for (GenericRecord r : rows) {
        w.write(r);
      }
    }
  }

  static Configuration smallBlocks(long blockSize) {
    Configuration conf = new Configuration();
    conf.setLong("fs.local.block.size", blockSize);
    conf.setBoolean("fs.file.impl.disable.cache", true); // the cache would keep the old block size
    return conf;
  }

  /** Records and input bytes of reading every partition of {@code node}, one task each. */
  private record Read(List<List<GenericRecord>> partitions, long bytes) {
    List<GenericRecord> all() {
      return partitions.stream().flatMap(List::stream).toList();
    }
  }

  private Read read(ParquetFileNode<GenericRecord> node) {
    List<List<GenericRecord>> parts = new ArrayList<>();
    long bytes = 0;
    for (Partition p : node.partitions()) {
      TaskContext task = TestingTasks.task(env, p.index(), 0);
      List<GenericRecord> records = new ArrayList<>();
      try {
        node.compute(p, task).forEachRemaining(records::add);
      } finally {
        task.markCompleted();
      }
      parts.add(records);
      bytes += task.metrics().inputBytes();
    }
    return new Read(parts, bytes);
  }

  private static List<String> json(List<? extends Object> records) {
    return records.stream().map(Object::toString).toList();
  }

  @Test
  void multiRowGroupFileIsReadExactlyOnceAcrossEightOrMoreSplits() throws IOException {
    Path file = tmp.resolve("wide.parquet");
    List<GenericRecord> rows = wideRows(ROWS);
    writeWide(file, rows);
    long size = Files.size(file);

    ParquetFileNode<GenericRecord> node =
        new ParquetFileNode<>(ctx, file.toString(), 1, null, null, smallBlocks(size / 10 + 1));
    Read read = read(node);

    assertTrue(node.numPartitions() >= 8, "splits: " + node.numPartitions());
    for (Partition p : node.partitions()) {
      assertEquals(List.of("localhost"), ((FileSplitPartition) p).hosts());
    }
    assertEquals(json(rows), json(read.all()));
    long nonEmpty = read.partitions().stream().filter(l -> !l.isEmpty()).count();
    assertTrue(nonEmpty >= 8, "row groups spread over " + nonEmpty + " splits");
  }

  @Test
  void projectionOfTwoColumnsReadsMeasurablyFewerBytes() throws IOException {
    Path file = tmp.resolve("wide.parquet");
    writeWide(file, wideRows(ROWS));
    Schema twoColumns = SchemaBuilder.record("Wide").namespace("io.weft.test").fields()
        .requiredLong("id").requiredLong("l2").endRecord();

    Read all = read(new ParquetFileNode<>(ctx, file.toString(), 1, null, null, new Configuration()));
    Read projected = read(new ParquetFileNode<>(ctx, file.toString(), 1, twoColumns, null, new Configuration()));

    System.out.printf("parquet projection: 20 columns %d bytes, 2 columns %d bytes (file %d bytes)%n",
        all.bytes(), projected.bytes(), Files.size(file));
    assertEquals(ROWS, projected.all().size());
    for (int i = 0; i < ROWS; i++) {
      GenericRecord r = projected.all().get(i);
      assertEquals(twoColumns, r.getSchema());
      assertEquals((long) i, r.get("id"));
      assertEquals(2L * i, r.get("l2"));
    }
    assertTrue(projected.bytes() * 4 < all.bytes(),
        "2 of 20 columns: " + projected.bytes() + " bytes vs " + all.bytes());
  }

  @Test
  void filterSkipsRowGroupsTheStatisticsExclude() throws IOException {
    Path file = tmp.resolve("wide.parquet");
    writeWide(file, wideRows(ROWS));
    FilterPredicate firstThousand = FilterApi.lt(FilterApi.longColumn("id"), 1000L);

    // independently: how many row groups the footer's statistics let through
    List<BlockMetaData> groups;
    List<BlockMetaData> kept;
    try (ParquetFileReader f = ParquetFileReader.open(
        HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      groups = f.getFooter().getBlocks();
      kept = RowGroupFilter.filterRowGroups(FilterCompat.get(firstThousand), groups,
          f.getFooter().getFileMetaData().getSchema());
    }
    Read all = read(new ParquetFileNode<>(ctx, file.toString(), 1, null, null, new Configuration()));
    Read filtered = read(new ParquetFileNode<>(ctx, file.toString(), 1, null, firstThousand, new Configuration()));

    System.out.printf("parquet filter id < 1000: %d of %d row groups kept; %d bytes read vs %d unfiltered%n",
        kept.size(), groups.size(), filtered.bytes(), all.bytes());
    assertEquals(ROWS / ROWS_PER_GROUP, groups.size());
    assertEquals(1, kept.size());
    assertEquals(json(wideRows(1000)), json(filtered.all()));
    assertTrue(filtered.bytes() * 5 < all.bytes(), filtered.bytes() + " vs " + all.bytes());
  }

  @Test
  void truncatedFileFailsNamingIt() throws IOException {
    Path file = tmp.resolve("wide.parquet");
    writeWide(file, wideRows(5000));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

    InputReadException e = assertThrows(InputReadException.class,
        () -> read(new ParquetFileNode<>(ctx, file.toString(), 1, null, null, new Configuration())));

    assertTrue(e.getMessage().startsWith("Cannot read " + file.toUri().toString().replace("file:///", "file:/")),
        e.getMessage());
  }

  @Test
  void fileOfAnotherFormatFailsNamingIt() throws IOException {
    Path file = tmp.resolve("not.parquet");
    Files.writeString(file, "id,name\n1,ann\n2,bob\n3,cy\n4,dee\n5,eve\n");

    InputReadException e = assertThrows(InputReadException.class,
        () -> read(new ParquetFileNode<>(ctx, file.toString(), 1, null, null, new Configuration())));

    assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not a Parquet file"), e.getMessage());
  }

  @Test
  void nodeWithProjectionAndFilterSurvivesJavaSerialization() throws IOException {
    Path file = tmp.resolve("wide.parquet");
    writeWide(file, wideRows(3000));
    Schema idOnly = SchemaBuilder.record("Wide").namespace("io.weft.test").fields().requiredLong("id").endRecord();
    ParquetFileNode<GenericRecord> node = new ParquetFileNode<>(ctx, file.toString(), 1, idOnly,
        FilterApi.gtEq(FilterApi.longColumn("id"), 2990L), new Configuration());
    Partition p = node.partitions()[0];

    List<Long> ids = new ArrayList<>();
    TestingJobRunner.roundTrip(node).compute(TestingJobRunner.roundTrip(p), TestingTasks.task(env, 0, 0))
        .forEachRemaining(r -> ids.add((Long) r.get("id")));

    assertEquals(List.of(2990L, 2991L, 2992L, 2993L, 2994L, 2995L, 2996L, 2997L, 2998L, 2999L), ids);
  }
}
