package io.weft.io.hadoop;

import io.weft.Pair;
import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.io.FileRecordIterator;
import io.weft.io.FileSourceNode;
import io.weft.plan.Partition;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.InputFormat;

/**
 * A source node reading any {@code org.apache.hadoop.mapreduce.InputFormat} (SequenceFiles,
 * Hive/MapReduce outputs, a user's own format): the escape hatch for formats Weft does not know.
 * One partition per split of the format's own {@code getSplits}, preferring the split's hosts;
 * records are key-value pairs whose {@code Writable}s are copied out of the reader's reused
 * objects.
 *
 * <p>Writables are not {@code Serializable}: map them to plain Java values before a shuffle or a
 * {@code collect} (e.g. {@code Text::toString}, {@code LongWritable::get}).
 */
public final class HadoopFileNode<K, V> extends FileSourceNode<Pair<K, V>> {
  private static final long serialVersionUID = 1L;

  private final Class<? extends InputFormat<K, V>> formatClass;
  private final Class<K> keyClass;
  private final Class<V> valueClass;

  /** @param driverConf plans the splits instead of the context's configuration (tests), or null */
  public HadoopFileNode(WeftContext ctx, String path, Class<? extends InputFormat<K, V>> formatClass,
      Class<K> keyClass, Class<V> valueClass, Configuration driverConf) {
    super(ctx, "hadoopFile", path, 1, driverConf);
    this.formatClass = Objects.requireNonNull(formatClass, "input format class");
    this.keyClass = Objects.requireNonNull(keyClass, "key class");
    this.valueClass = Objects.requireNonNull(valueClass, "value class");
    setName(formatClass.getSimpleName() + " " + path);
  }

  @Override
  protected Partition[] plan(Configuration conf) {
    return HadoopSplits.plan(conf, path(), formatClass);
  }

  @Override
  public Iterator<Pair<K, V>> compute(Partition partition, TaskContext task) {
    return FileRecordIterator.start(new HadoopRecordIterator<>((HadoopSplitPartition) partition, formatClass,
        keyClass, valueClass, task));
  }

  @Override
  protected List<String> blockHosts(Partition partition) {
    return ((HadoopSplitPartition) partition).hosts();
  }
}
