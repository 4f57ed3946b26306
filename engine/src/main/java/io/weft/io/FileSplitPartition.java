package io.weft.io;

import io.weft.plan.Partition;
import java.util.List;

/**
 * One split of a file input in a binary format (Avro, Parquet, SequenceFile, any Hadoop
 * {@code FileInputFormat}): a byte range of one file and the hosts that store its blocks. Like
 * {@link TextFilePartition}, it is built on the driver from a Hadoop {@code FileSplit} and holds
 * only serializable values; the path is fully qualified.
 *
 * <p>Which records a range owns is the format's rule, applied by its reader: an Avro reader starts
 * at the first sync marker after {@code start} and stops at the first one past the end; a Parquet
 * reader takes the row groups whose midpoint lies in the range; a SequenceFile reader works like
 * Avro's. Each rule gives every record to exactly one split of a tiling of the file.
 *
 * @param index position of this split among the node's partitions
 * @param path fully qualified file path
 * @param start first byte of the range
 * @param length bytes in the range
 * @param hosts hosts holding the range's blocks, best first; may be empty
 */
public record FileSplitPartition(int index, String path, long start, long length, List<String> hosts)
    implements Partition {
  private static final long serialVersionUID = 1L;

  public FileSplitPartition {
    hosts = List.copyOf(hosts);
  }

  /** The byte after the range. */
  public long end() {
    return start + length;
  }
}
