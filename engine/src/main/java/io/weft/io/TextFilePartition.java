package io.weft.io;

import io.weft.plan.Partition;
import java.util.List;

/**
 * One split of a text input: a byte range of one file and the hosts that store its blocks.
 * Built on the driver from a Hadoop {@code FileSplit} and shipped to the task that reads it, so
 * it holds only plain, serializable values; the path is fully qualified ({@code hdfs://nn:8020/..}
 * or {@code file:/..}) so the executor needs no default file system to find it.
 *
 * <p>A reader of the range starts at the first line that begins after {@code start} (unless
 * {@code start} is 0) and reads past {@code start + length} to finish its last line: that is how
 * Hadoop's {@code LineRecordReader} makes every line belong to exactly one split.
 *
 * @param index position of this split among the node's partitions
 * @param path fully qualified file path
 * @param start first byte of the range
 * @param length bytes in the range (the whole file for an unsplittable codec such as gzip)
 * @param hosts hosts holding the range's blocks, best first; may be empty
 */
public record TextFilePartition(int index, String path, long start, long length, List<String> hosts)
    implements Partition {
  private static final long serialVersionUID = 1L;

  public TextFilePartition {
    hosts = List.copyOf(hosts);
  }
}
