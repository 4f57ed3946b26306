package io.weft;

/** Partitions by {@code key.hashCode()} modulo the partition count; null goes to partition 0. */
public final class HashPartitioner extends Partitioner {
  private final int partitions;

  public HashPartitioner(int partitions) {
    if (partitions <= 0) {
      throw new IllegalArgumentException("number of partitions must be positive, got " + partitions);
    }
    this.partitions = partitions;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int partitionFor(Object key) {
    return key == null ? 0 : Math.floorMod(key.hashCode(), partitions);
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
