package io.weft.io.parquet;

import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.io.CommittedOutput;
import io.weft.io.commit.HadoopCommitProtocol;
import io.weft.io.commit.TaskAttemptCommitter;
import io.weft.plan.Node;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/**
 * Saves Avro records (generic or specific) as Parquet files, one {@code part-NNNNN.parquet} per
 * partition, through the commit protocol of {@link CommittedOutput}. Row group and page sizes
 * come from the Hadoop configuration ({@code parquet.block.size}, {@code parquet.page.size}, e.g.
 * {@code weft.hadoop.parquet.block.size}), as for Parquet's own output format.
 */
public final class ParquetOutput {
  private ParquetOutput() {}

  /**
   * Runs a job writing {@code node}'s records to directory {@code path}.
   *
   * @param codec a Parquet codec name: {@code uncompressed}, {@code snappy}, {@code gzip},
   *     {@code zstd}, ...
   */
  public static <T> void save(WeftContext ctx, Node<T> node, String path, Schema schema, String codec) {
    if (schema == null) {
      throw new IllegalArgumentException("saveAsParquetFile(" + path + "): the schema is null");
    }
    codec(codec);
    CommittedOutput.save(ctx, node, path, writer(schema.toString(), codec));
  }

  /** Validates a Parquet codec name on the driver. */
  static CompressionCodecName codec(String name) {
    try {
      return CompressionCodecName.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Unknown Parquet codec '" + name + "' (expected one of "
          + Arrays.toString(CompressionCodecName.values()).toLowerCase(Locale.ROOT) + ")", e);
    }
  }

  private static <T> CommittedOutput.PartitionWriter<T> writer(String schemaJson, String codec) {
    return (attempt, task, records) -> writePart(attempt, task, records, schemaJson, codec);
  }

  private static <T> void writePart(TaskAttemptCommitter attempt, TaskContext task, Iterator<T> records,
      String schemaJson, String codec) throws Exception {
    Schema schema = new Schema.Parser().parse(schemaJson);
    Configuration conf = task.env().hadoopConf();
    Path file = attempt.newTaskFile(HadoopCommitProtocol.partFileName(task.partitionId()) + ".parquet");
    try (ParquetWriter<Object> writer = AvroParquetWriter.builder(HadoopOutputFile.fromPath(file, conf))
        .withConf(conf)
        .withSchema(schema)
        // SpecificData also writes generic records
        .withDataModel(SpecificData.get())
        .withCompressionCodec(codec(codec))
        .withRowGroupSize(conf.getLong("parquet.block.size", ParquetWriter.DEFAULT_BLOCK_SIZE))
        .withPageSize(conf.getInt("parquet.page.size", ParquetWriter.DEFAULT_PAGE_SIZE))
        .withWriteMode(ParquetFileWriter.Mode.CREATE)
        .build()) {
      long n = 0;
      while (records.hasNext()) {
        Object record = records.next();
        if (!(record instanceof IndexedRecord)) {
          throw new IllegalArgumentException("saveAsParquetFile: record " + n + " of partition "
              + task.partitionId() + " is a " + (record == null ? "null" : record.getClass().getName())
              + ", not an Avro record (GenericRecord or SpecificRecord)");
        }
        writer.write(record);
        n++;
      }
    }
  }
}
