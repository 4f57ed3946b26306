package io.weft;

/**
 * Partitions by {@link KeyHash#hash} modulo the partition count: equal keys go to the same
 * partition in every JVM, enums and records holding them included; null goes to partition 0.
 * An array key is refused with an {@link UnsupportedKeyException}.
 */
public final class HashPartitioner extends Partitioner {
  private final int partitions;

  public HashPartitioner(int partitions) {
    this.partitions = checkNumPartitions(partitions);
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int partitionFor(Object key) {
    return Math.floorMod(KeyHash.hash(key), partitions);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HashPartitioner other && other.partitions == partitions;
  }

  @Override
  public int hashCode() {
    return partitions;
  }

  @Override
  public String toString() {
    return "HashPartitioner(" + partitions + ")";
  }
}
