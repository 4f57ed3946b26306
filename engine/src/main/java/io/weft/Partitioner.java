package io.weft;

import java.io.Serializable;

/**
 * Decides which reduce partition a key goes to. Two datasets partitioned by equal partitioners
 * are co-partitioned, and joining them needs no shuffle: implementations must define
 * {@code equals} accordingly.
 *
 * <p>{@link #partitionFor} runs in every executor JVM and, for {@code lookup}, on the driver: it
 * must give equal keys the same partition everywhere. An implementation that hashes keys should
 * use {@link KeyHash#hash}, not {@code hashCode}, which for enums differs in every JVM.
 */
public abstract class Partitioner implements Serializable {
  public abstract int numPartitions();

  /** A partition in {@code [0, numPartitions())} for {@code key}, which may be null. */
  public abstract int partitionFor(Object key);

  /**
   * Refuses a requested partition count below one, with the message every operation taking a
   * count gives ({@code reduceByKey(f, 0)}, {@code sortByKey(true, 0)}...).
   */
  public static int checkNumPartitions(int partitions) {
    if (partitions <= 0) {
      throw new IllegalArgumentException("number of partitions must be positive, got " + partitions);
    }
    return partitions;
  }
}
