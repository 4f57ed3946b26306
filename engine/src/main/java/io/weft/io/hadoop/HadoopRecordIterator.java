package io.weft.io.hadoop;

import io.weft.Pair;
import io.weft.TaskContext;
import io.weft.io.FileRecordIterator;
import io.weft.io.HadoopTaskContexts;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableUtils;
import org.apache.hadoop.mapreduce.InputFormat;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.util.ReflectionUtils;

/**
 * The key-value pairs of one split of a Hadoop input format. Hadoop readers reuse one key and one
 * value object for every record; each {@code Writable} handed out is a copy
 * ({@link WritableUtils#clone}), so a user who keeps records (a {@code collect}, a cache, a
 * {@code groupByKey}) does not see every one turn into the last. Keys and values that are not of
 * the declared classes fail the task naming the file and both classes.
 */
final class HadoopRecordIterator<K, V> extends FileRecordIterator<Pair<K, V>> {
  private final HadoopSplitPartition partition;
  private final Class<? extends InputFormat<K, V>> formatClass;
  private final Class<K> keyClass;
  private final Class<V> valueClass;
  private Configuration conf;
  private RecordReader<K, V> reader;

  HadoopRecordIterator(HadoopSplitPartition partition, Class<? extends InputFormat<K, V>> formatClass,
      Class<K> keyClass, Class<V> valueClass, TaskContext task) {
    super(partition.description(), 0, 0, task);
    this.partition = partition;
    this.formatClass = formatClass;
    this.keyClass = keyClass;
    this.valueClass = valueClass;
  }

  @Override
  protected void open() throws Exception {
    TaskAttemptContext context = HadoopTaskContexts.reading(task());
    conf = context.getConfiguration();
    InputSplit split = HadoopSplits.fromPartition(partition, conf);
    InputFormat<K, V> format = ReflectionUtils.newInstance(formatClass, conf);
    reader = format.createRecordReader(split, context);
    reader.initialize(split, context);
  }

  @Override
  protected Pair<K, V> readNext() throws Exception {
    if (!reader.nextKeyValue()) {
      return null;
    }
    return Pair.of(copy(reader.getCurrentKey(), keyClass, "key"), copy(reader.getCurrentValue(), valueClass, "value"));
  }

  private <X> X copy(Object x, Class<X> expected, String what) {
    if (x != null && !expected.isInstance(x)) {
      throw new ClassCastException(partition.description() + " holds " + what + "s of "
          + x.getClass().getName() + ", not " + expected.getName());
    }
    if (x instanceof Writable w) {
      return expected.cast(WritableUtils.clone(w, conf));
    }
    return expected.cast(x);
  }

  @Override
  protected String position() {
    return "split " + partition.index();
  }

  @Override
  protected void closeReader() throws Exception {
    if (reader != null) {
      reader.close();
    }
  }
}
