package io.weft.io;

import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.plan.Partition;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * A file source whose files may be split at any byte offset, the reader aligning to the next Avro
 * sync marker or Parquet row group: its partitions are the byte-range splits {@link SplitPlanner#planSplittable}
 * computes (about one per block, at least {@code minPartitions}), each preferring its blocks'
 * hosts; a task reads its split with the format's {@link FileRecordIterator}, which
 * {@link #open} returns.
 *
 * <p>Threading: as any node, created and planned on the driver, computed on task threads.
 */
public abstract class SplittableFileNode<T> extends FileSourceNode<T> {
  private static final long serialVersionUID = 1L;

  private final int minPartitions;

  /** As {@link FileSourceNode#FileSourceNode}. */
  protected SplittableFileNode(WeftContext ctx, String operation, String path, int minPartitions,
      Configuration driverConf) {
    super(ctx, operation, path, minPartitions, driverConf);
    this.minPartitions = minPartitions;
  }

  /** The records of {@code split}, not yet started ({@link FileRecordIterator#start} follows). */
  protected abstract FileRecordIterator<T> open(FileSplitPartition split, TaskContext task);

  @Override
  protected final Partition[] plan(Configuration conf) {
    return SplitPlanner.planSplittable(conf, path(), minPartitions);
  }

  @Override
  public final Iterator<T> compute(Partition partition, TaskContext task) {
    return FileRecordIterator.start(open((FileSplitPartition) partition, task));
  }

  @Override
  protected final List<String> blockHosts(Partition partition) {
    return ((FileSplitPartition) partition).hosts();
  }
}
