package io.weft.io.parquet;

import io.weft.TaskContext;
import io.weft.io.FileRecordIterator;
import io.weft.io.FileSplitPartition;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * The records of one split of a Parquet file, through Parquet's Avro binding. The split owns the
 * row groups whose midpoint lies in its byte range ({@code withFileRange}, Parquet's own rule,
 * as its input format uses), so the row groups of a file tiled by splits are each read once, and
 * a split holding no midpoint is empty.
 *
 * <p>A projection schema makes Parquet read only the requested columns' chunks; a filter
 * predicate drops whole row groups whose statistics (min/max, null counts), dictionaries or
 * bloom filters prove no record matches, then pages by column index, then single records.
 */
final class ParquetSplitIterator<T> extends FileRecordIterator<T> {
  private final FileSplitPartition split;
  private final String projectionJson;
  private final FilterPredicate filter;
  private ParquetReader<T> reader;

  ParquetSplitIterator(FileSplitPartition split, String projectionJson, FilterPredicate filter,
      TaskContext task) {
    super(split.path(), split.start(), split.length(), task);
    this.split = split;
    this.projectionJson = projectionJson;
    this.filter = filter;
  }

  @Override
  protected void open() throws Exception {
    Configuration conf = new Configuration(task().env().hadoopConf());
    // Vectored reads are served by other threads, invisible to the per-thread file system
    // statistics the task's input metrics come from; a user may still turn them on.
    conf.setBooleanIfUnset("parquet.hadoop.vectored.io.enabled", false);
    if (projectionJson != null) {
      Schema projection = new Schema.Parser().parse(projectionJson);
      AvroReadSupport.setRequestedProjection(conf, projection);
      AvroReadSupport.setAvroReadSchema(conf, projection);
    }
    Path path = new Path(split.path());
    reader = AvroParquetReader.<T>builder(HadoopInputFile.fromPath(path, conf))
        .withConf(conf)
        .withFileRange(split.start(), split.end())
        .withFilter(filter == null ? FilterCompat.NOOP : FilterCompat.get(filter))
        .build();
  }

  @Override
  protected T readNext() throws Exception {
    return reader.read();
  }

  @Override
  protected void closeReader() throws Exception {
    if (reader != null) {
      reader.close();
    }
  }
}
