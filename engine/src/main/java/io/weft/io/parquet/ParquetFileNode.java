package io.weft.io.parquet;

import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.io.FileRecordIterator;
import io.weft.io.FileSplitPartition;
import io.weft.io.SplitPlanner;
import io.weft.io.SplittableFileNode;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.filter2.predicate.FilterPredicate;

/**
 * A source node whose records are the rows of Parquet files as Avro records (Parquet's Avro
 * binding: generic records, or specific records when the file's Avro schema names a class on the
 * classpath), optionally projected to some columns and filtered by a predicate. Paths as for text.
 *
 * <p>Driver side: byte-range splits from {@link SplitPlanner#planSplittable} (about one per
 * block), each preferring its blocks' hosts; footers are not read on the driver, so planning costs
 * one listing whatever the number of files. Executor side: {@link ParquetSplitIterator} reads the
 * row groups whose midpoint lies in its split. A bad file fails the task with an
 * {@code InputReadException} naming the file (and Parquet's block index when it knows it).
 *
 * <p>The filter predicate ({@code org.apache.parquet.filter2.predicate.FilterApi}) is shipped with
 * the node: Parquet's predicates are serializable.
 */
public final class ParquetFileNode<T> extends SplittableFileNode<T> {
  private static final long serialVersionUID = 1L;

  private final String projectionJson;
  private final FilterPredicate filter;

  /**
   * @param projection the columns to read, as an Avro record schema with a subset of the file's
   *     fields (null: all)
   * @param filter rows to keep (null: all)
   * @param driverConf lists the input instead of the context's configuration (tests), or null
   */
  public ParquetFileNode(WeftContext ctx, String path, int minPartitions, Schema projection,
      FilterPredicate filter, Configuration driverConf) {
    super(ctx, "parquetFile", path, minPartitions, driverConf);
    this.projectionJson = projection == null ? null : projection.toString();
    this.filter = filter;
    setName("parquet " + path);
  }

  @Override
  protected FileRecordIterator<T> open(FileSplitPartition split, TaskContext task) {
    return new ParquetSplitIterator<>(split, projectionJson, filter, task);
  }
}
