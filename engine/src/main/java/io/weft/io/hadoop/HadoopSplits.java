package io.weft.io.hadoop;

import io.weft.io.SplitPlanner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.mapreduce.InputFormat;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.util.ReflectionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans the partitions of a Hadoop input format on the driver with the format's own
 * {@code getSplits} (for file formats: about one split per block, each with its block hosts), and
 * turns splits into bytes and back.
 */
final class HadoopSplits {
  private static final Logger LOG = LoggerFactory.getLogger(HadoopSplits.class);

  private HadoopSplits() {}

  static HadoopSplitPartition[] plan(Configuration conf, String paths,
      Class<? extends InputFormat<?, ?>> formatClass) {
    return SplitPlanner.listInput(conf, paths, job -> {
      InputFormat<?, ?> format = ReflectionUtils.newInstance(formatClass, job.getConfiguration());
      List<InputSplit> splits = format.getSplits(job);
      HadoopSplitPartition[] partitions = new HadoopSplitPartition[splits.size()];
      for (int i = 0; i < partitions.length; i++) {
        InputSplit split = splits.get(i);
        if (!(split instanceof Writable w)) {
          throw new IllegalArgumentException(formatClass.getName() + " makes splits of "
              + split.getClass().getName() + ", which is not Writable and cannot be shipped to a task");
        }
        partitions[i] = new HadoopSplitPartition(i, split.getClass().getName(), toBytes(w),
            Arrays.asList(split.getLocations()), split.toString());
      }
      LOG.info("Input {} ({}): {} splits", paths, formatClass.getSimpleName(), partitions.length);
      return partitions;
    });
  }

  private static byte[] toBytes(Writable w) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      w.write(out);
    }
    return bytes.toByteArray();
  }

  /** The split of {@code p}, rebuilt with the task's class loader and configuration. */
  static InputSplit fromPartition(HadoopSplitPartition p, Configuration conf) throws Exception {
    Class<?> cls = conf.getClassByName(p.splitClass());
    Object split = ReflectionUtils.newInstance(cls, conf);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(p.splitBytes()))) {
      ((Writable) split).readFields(in);
    }
    return (InputSplit) split;
  }
}
