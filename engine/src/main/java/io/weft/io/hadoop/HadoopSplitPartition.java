package io.weft.io.hadoop;

import io.weft.plan.Partition;
import java.util.List;

/**
 * One split of an arbitrary Hadoop {@code InputFormat}: the split itself in its own
 * {@code Writable} form (every split of a file-based format is one), so any format's split travels
 * to the task; plus its hosts and a description for messages.
 *
 * @param index position among the node's partitions
 * @param splitClass the split's class name, instantiated on the executor
 * @param splitBytes the split's {@code Writable.write} bytes
 * @param hosts the split's locations, best first; may be empty
 * @param description e.g. {@code hdfs://nn/data/f.seq:0+134217728}, for error messages
 */
public record HadoopSplitPartition(int index, String splitClass, byte[] splitBytes, List<String> hosts,
    String description) implements Partition {
  private static final long serialVersionUID = 1L;

  public HadoopSplitPartition {
    hosts = List.copyOf(hosts);
  }
}
