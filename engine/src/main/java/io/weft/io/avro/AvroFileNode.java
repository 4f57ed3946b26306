package io.weft.io.avro;

import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.io.FileSplitPartition;
import io.weft.io.FileRecordIterator;
import io.weft.io.SplitPlanner;
import io.weft.plan.Dependency;
import io.weft.plan.Node;
import io.weft.plan.Partition;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
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
public final class AvroFileNode<T> extends Node<T> {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final int minPartitions;
  /** Null: read with the file's own schema. Kept as JSON: parsed once per task. */
  private final String readerSchemaJson;
  private final Class<T> specificClass;
  private final transient Configuration driverConfOverride;

  /**
   * @param readerSchema the schema to read records as, or null for each file's own
   * @param specificClass a generated {@code SpecificRecord} class, or null for generic records
   * @param driverConf lists the input instead of the context's configuration (tests), or null
   */
  public AvroFileNode(WeftContext ctx, String path, int minPartitions, Schema readerSchema,
      Class<T> specificClass, Configuration driverConf) {
    super(ctx);
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("avroFile: the input path is empty");
    }
    if (minPartitions < 1) {
      throw new IllegalArgumentException("avroFile(" + path + "): minPartitions must be at least 1, not "
          + minPartitions);
    }
    if (specificClass != null) {
      AvroSchemas.ofClass(specificClass); // fail on the driver if it is no record class
    }
    this.path = path;
    this.minPartitions = minPartitions;
    this.readerSchemaJson = readerSchema == null ? null : readerSchema.toString();
    this.specificClass = specificClass;
    this.driverConfOverride = driverConf;
    setName("avro " + path);
  }

  public String path() {
    return path;
  }

  @Override
  protected Partition[] computePartitions() {
    Configuration conf = driverConfOverride != null
        ? driverConfOverride
        : Objects.requireNonNull(context(), "partitions are computed on the driver").hadoopConfiguration();
    return SplitPlanner.planSplittable(conf, path, minPartitions);
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of();
  }

  @Override
  public Iterator<T> compute(Partition partition, TaskContext task) {
    return FileRecordIterator.start(
        new AvroSplitIterator<>((FileSplitPartition) partition, readerSchemaJson, specificClass, task));
  }

  @Override
  public List<String> preferredLocations(Partition partition) {
    return ((FileSplitPartition) partition).preferredHosts();
  }
}
