package io.weft;

/**
 * Partitions by {@link KeyHash#hash} modulo the partition count: equal keys go to the same
 * partition in every JVM, enums and records holding them included; null goes to partition 0.
 * An array key is refused with an {@link UnsupportedKeyException}.
 */
public final class HashPartitioner extends Partitioner {
  private final int partitions;
  /** {@code partitions - 1} when that is a power of two, else -1. */
  private final int mask;

  public HashPartitioner(int partitions) {
    this.partitions = checkNumPartitions(partitions);
    this.mask = Integer.bitCount(partitions) == 1 ? partitions - 1 : -1;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int partitionFor(Object key) {
    int hash = KeyHash.hash(key);
    // for a power of two, floorMod is this mask (negative hashes too) without a division, which
    // was 3.5% of WordCount's samples
    return mask >= 0 ? hash & mask : Math.floorMod(hash, partitions);
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
