package io.weft.io.hadoop;

import io.weft.Pair;
import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.io.CommittedOutput;
import io.weft.io.commit.TaskAttemptCommitter;
import io.weft.plan.Node;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.OutputFormat;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.SequenceFileOutputFormat;
import org.apache.hadoop.util.ReflectionUtils;

/**
 * Saves key-value pairs with any Hadoop {@code FileOutputFormat}, through the commit protocol of
 * {@link CommittedOutput}. The format writes its own files ({@code part-m-NNNNN} plus its
 * extension) into the task attempt's work directory, which Weft's committer publishes at job
 * commit: all partitions and {@code _SUCCESS}, or nothing.
 *
 * <p>Only {@code FileOutputFormat}s are accepted: the commit protocol is a file committer's, and a
 * format writing elsewhere (a database) would not be committed exactly once.
 */
public final class HadoopOutput {
  private HadoopOutput() {}

  /**
   * Runs a job writing {@code node}'s pairs with {@code formatClass}.
   *
   * @param keyClass the output key class the format is told, or null to take it from each
   *     partition's first record (after conversion)
   * @param convert whether plain Java keys and values are converted with {@link Writables}
   * @param settings extra Hadoop settings for the writers (compression, ...)
   */
  @SuppressWarnings("rawtypes")
  public static <K, V> void save(WeftContext ctx, Node<Pair<K, V>> node, String path,
      Class<? extends OutputFormat> formatClass, Class<?> keyClass, Class<?> valueClass, boolean convert,
      Map<String, String> settings) {
    if (!FileOutputFormat.class.isAssignableFrom(formatClass)) {
      throw new IllegalArgumentException("saveAsHadoopFile(" + path + "): " + formatClass.getName()
          + " is not a org.apache.hadoop.mapreduce.lib.output.FileOutputFormat");
    }
    String format = formatClass.getName();
    String key = keyClass == null ? null : keyClass.getName();
    String value = valueClass == null ? null : valueClass.getName();
    Map<String, String> conf = Map.copyOf(settings);
    CommittedOutput.PartitionWriter<Pair<K, V>> writer =
        (attempt, task, records) -> writePart(attempt, task, records, format, key, value, convert, conf);
    CommittedOutput.save(ctx, node, path, writer);
  }

  /** The settings that make a SequenceFile block-compressed with {@code codec}. */
  public static Map<String, String> sequenceFileCompression(Class<? extends CompressionCodec> codec) {
    return Map.of(FileOutputFormat.COMPRESS, "true",
        FileOutputFormat.COMPRESS_CODEC, codec.getName(),
        FileOutputFormat.COMPRESS_TYPE, SequenceFile.CompressionType.BLOCK.name());
  }

  /** The output format of {@code saveAsSequenceFile}. */
  @SuppressWarnings("rawtypes")
  public static Class<? extends OutputFormat> sequenceFileFormat() {
    return SequenceFileOutputFormat.class;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <K, V> void writePart(TaskAttemptCommitter attempt, TaskContext task,
      Iterator<Pair<K, V>> records, String formatClass, String keyClass, String valueClass, boolean convert,
      Map<String, String> settings) throws Exception {
    if (!records.hasNext() && (keyClass == null || valueClass == null)) {
      return; // nothing to write and no classes to tell the format: no file for this partition
    }
    TaskAttemptContext context = attempt.hadoopContext();
    Configuration conf = context.getConfiguration();
    settings.forEach(conf::set);
    Pair<Object, Object> first = records.hasNext() ? convert(records.next(), convert) : null;
    conf.set(MRJobConfig.OUTPUT_KEY_CLASS, keyClass != null ? keyClass : first.key().getClass().getName());
    conf.set(MRJobConfig.OUTPUT_VALUE_CLASS, valueClass != null ? valueClass : first.value().getClass().getName());
    OutputFormat format = (OutputFormat) ReflectionUtils.newInstance(conf.getClassByName(formatClass), conf);
    RecordWriter writer = format.getRecordWriter(context);
    try {
      if (first != null) {
        writer.write(first.key(), first.value());
      }
      while (records.hasNext()) {
        Pair<Object, Object> kv = convert(records.next(), convert);
        writer.write(kv.key(), kv.value());
      }
    } finally {
      writer.close(context);
    }
  }

  private static Pair<Object, Object> convert(Pair<?, ?> kv, boolean convert) {
    return convert
        ? Pair.of(Writables.toWritable(kv.key()), Writables.toWritable(kv.value()))
        : Pair.of(kv.key(), kv.value());
  }
}
