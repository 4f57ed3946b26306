package io.weft;

import java.io.Serializable;

/**
 * Decides which reduce partition a key goes to. Two datasets partitioned by equal partitioners
 * are co-partitioned, and joining them needs no shuffle: implementations must define
 * {@code equals} accordingly.
 */
public abstract class Partitioner implements Serializable {
  public abstract int numPartitions();

  /** A partition in {@code [0, numPartitions())} for {@code key}, which may be null. */
  public abstract int partitionFor(Object key);
}
