package io.weft.io;

import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.plan.Iterators;
import io.weft.plan.Partition;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * A source node whose records are the lines of text files on any Hadoop file system
 * ({@code file://}, {@code hdfs://}, ...), without their line terminators. The path may be a
 * comma-separated list of files, directories (their non-hidden files, not recursively) and
 * globs, exactly as Hadoop's {@code FileInputFormat} understands it. Compressed files are
 * decompressed by the Hadoop codec matching their suffix; unsplittable ones (gzip) are read by
 * one task each.
 *
 * <p>Driver side: the partitions are the splits {@link SplitPlanner} computes with the driver's
 * Hadoop configuration, aiming at {@code minPartitions} or more; each partition's preferred
 * locations are its blocks' hosts. A missing input fails there, before any task, with an
 * {@link InvalidInputException} naming it. Executor side: {@link #compute} reads one split with
 * the executor's Hadoop configuration ({@code ExecutorEnv.hadoopConf()}): uncompressed files with the
 * default line delimiter by {@link DirectLineIterator}, others by Hadoop's {@code LineRecordReader}
 * ({@link LineReaderIterator}); a read error becomes an
 * {@link InputReadException} naming the file.
 *
 * <p>Threading: as any node, created and planned on the driver, computed on task threads.
 */
public final class TextFileNode extends FileSourceNode<String> {
  private static final long serialVersionUID = 1L;

  private final int minPartitions;

  /**
   * @param ctx the driver's context, whose Hadoop configuration is used to list the input
   * @param path input path(s): comma-separated files, directories or globs
   * @param minPartitions the least number of splits wanted (a gzip file is still one split)
   */
  public TextFileNode(WeftContext ctx, String path, int minPartitions) {
    this(ctx, path, minPartitions, null);
  }

  /** For tests: lists the input with {@code driverConf} instead of the context's configuration. */
  TextFileNode(WeftContext ctx, String path, int minPartitions, Configuration driverConf) {
    super(ctx, "textFile", path, minPartitions, driverConf);
    this.minPartitions = minPartitions;
    setName(path);
  }

  @Override
  protected Partition[] plan(Configuration conf) {
    return SplitPlanner.plan(conf, path(), minPartitions);
  }

  @Override
  public Iterator<String> compute(Partition partition, TaskContext task) {
    // reading a local file ignores interrupts: check each line for a kill
    return Iterators.interruptible(lines((TextFilePartition) partition, task));
  }

  /**
   * The lines of {@code split}, read with the executor's Hadoop configuration by the fastest
   * reader that reads them as Hadoop's {@code LineRecordReader} does (public for the JMH benchmark).
   */
  public static FileRecordIterator<String> lines(TextFilePartition split, TaskContext task) {
    Configuration conf = task.env().hadoopConf();
    return DirectLineIterator.applies(split.path(), conf)
        ? DirectLineIterator.open(split, task, conf)
        : LineReaderIterator.open(split, task);
  }

  @Override
  protected List<String> blockHosts(Partition partition) {
    return ((TextFilePartition) partition).hosts();
  }
}
