package io.weft.io.avro;

import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.io.FileSplitPartition;
import io.weft.io.FileRecordIterator;
import io.weft.io.SplitPlanner;
import io.weft.io.SplittableFileNode;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;

/**
 * A source node whose records are those of Avro data files on any Hadoop file system: generic
 * records (optionally read with a reader schema, for schema evolution) or instances of a
 * generated specific record class. The path is a comma-separated list of files, directories
 * (their non-hidden files, not recursively) and globs, as for text.
 *
 * <p>Driver side: the partitions are the byte-range splits {@link SplitPlanner#planSplittable}
 * computes (about one per block, at least {@code minPartitions}), each preferring its blocks'
 * hosts; a missing input fails there. Executor side: {@link AvroSplitIterator} reads the blocks
 * whose sync marker lies in the split. A bad file fails the task with an
 * {@code InputReadException} naming the file and the block.
 *
 * <p>Threading: as any node, created and planned on the driver, computed on task threads.
 *
 * @param <T> {@code GenericRecord}, or the specific record class
 */
public final class AvroFileNode<T> extends SplittableFileNode<T> {
  private static final long serialVersionUID = 1L;

  /** Null: read with the file's own schema. Kept as JSON: parsed once per task. */
  private final String readerSchemaJson;
  private final Class<T> specificClass;

  /**
   * @param readerSchema the schema to read records as, or null for each file's own
   * @param specificClass a generated {@code SpecificRecord} class, or null for generic records
   * @param driverConf lists the input instead of the context's configuration (tests), or null
   */
  public AvroFileNode(WeftContext ctx, String path, int minPartitions, Schema readerSchema,
      Class<T> specificClass, Configuration driverConf) {
    super(ctx, "avroFile", path, minPartitions, driverConf);
    if (specificClass != null) {
      AvroSchemas.ofClass(specificClass); // fail on the driver if it is no record class
    }
    this.readerSchemaJson = readerSchema == null ? null : readerSchema.toString();
    this.specificClass = specificClass;
    setName("avro " + path);
  }

  @Override
  protected FileRecordIterator<T> open(FileSplitPartition split, TaskContext task) {
    return new AvroSplitIterator<>(split, readerSchemaJson, specificClass, task);
  }
}
