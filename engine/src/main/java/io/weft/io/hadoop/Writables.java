package io.weft.io.hadoop;

import org.apache.hadoop.io.BooleanWritable;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.DoubleWritable;
import org.apache.hadoop.io.FloatWritable;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;

/**
 * Converts plain Java values to the {@code Writable}s a SequenceFile holds, as
 * {@code saveAsSequenceFile} does for records that are not Writables already: {@code String} →
 * {@code Text}, {@code Long} → {@code LongWritable}, {@code Integer}, {@code Double},
 * {@code Float}, {@code Boolean}, {@code byte[]} → {@code BytesWritable}, {@code null} →
 * {@code NullWritable}.
 */
public final class Writables {
  private Writables() {}

  /** {@code v} as a Writable; a type with no conversion fails naming its class. */
  public static Writable toWritable(Object v) {
    if (v instanceof Writable w) {
      return w;
    } else if (v == null) {
      return NullWritable.get();
    } else if (v instanceof String s) {
      return new Text(s);
    } else if (v instanceof Long l) {
      return new LongWritable(l);
    } else if (v instanceof Integer i) {
      return new IntWritable(i);
    } else if (v instanceof Double d) {
      return new DoubleWritable(d);
    } else if (v instanceof Float f) {
      return new FloatWritable(f);
    } else if (v instanceof Boolean b) {
      return new BooleanWritable(b);
    } else if (v instanceof byte[] b) {
      return new BytesWritable(b);
    }
    throw new IllegalArgumentException("saveAsSequenceFile: no Writable for " + v.getClass().getName()
        + " (use a Writable, String, Long, Integer, Double, Float, Boolean or byte[])");
  }
}
