package io.weft.io;

import io.weft.WeftContext;
import io.weft.plan.Dependency;
import io.weft.plan.Node;
import io.weft.plan.Partition;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;

/**
 * What every file format's source node shares (text, Avro, Parquet, any Hadoop input format):
 * the input path as the user gave it (comma-separated files, directories and globs), partitions
 * planned on the driver with its Hadoop configuration (or a test's), no parents, and block hosts
 * as preferred locations, {@code localhost} excluded (the local file system reports it for every
 * block; on a cluster it would only make tasks wait for a host that never offers a slot).
 *
 * <p>Threading: as any node, created and planned on the driver, computed on task threads.
 */
public abstract class FileSourceNode<T> extends Node<T> {
  private static final long serialVersionUID = 1L;

  private final String path;
  /** Replaces the context's Hadoop configuration in tests that run without a scheduler. */
  private final transient Configuration driverConfOverride;

  /**
   * @param operation the API method, named in errors ({@code textFile})
   * @param minPartitions the least number of partitions wanted, checked to be at least 1
   * @param driverConf lists the input instead of the context's configuration (tests), or null
   */
  protected FileSourceNode(WeftContext ctx, String operation, String path, int minPartitions,
      Configuration driverConf) {
    super(ctx);
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException(operation + ": the input path is empty");
    }
    if (minPartitions < 1) {
      throw new IllegalArgumentException(operation + "(" + path + "): minPartitions must be at least 1, not "
          + minPartitions);
    }
    this.path = path;
    this.driverConfOverride = driverConf;
  }

  /** The input path(s) as given. */
  public final String path() {
    return path;
  }

  @Override
  protected final Partition[] computePartitions() {
    Configuration conf = driverConfOverride != null
        ? driverConfOverride
        : Objects.requireNonNull(context(), "partitions are computed on the driver").hadoopConfiguration();
    return plan(conf);
  }

  /** The partitions, planned with the driver's Hadoop configuration {@code conf}. */
  protected abstract Partition[] plan(Configuration conf);

  /** The hosts of {@code partition}'s blocks, as the file system reports them. */
  protected abstract List<String> blockHosts(Partition partition);

  @Override
  public final List<Dependency> dependencies() {
    return List.of();
  }

  @Override
  public final List<String> preferredLocations(Partition partition) {
    return blockHosts(partition).stream().filter(h -> !h.equals("localhost")).toList();
  }
}
