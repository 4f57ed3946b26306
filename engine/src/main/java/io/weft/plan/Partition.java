package io.weft.plan;

import java.io.Serializable;

/**
 * One slice of a node's data. It is shipped to the task that computes it, so it carries
 * whatever that task needs to find its input (a file split, a parent's partitions, a list of
 * elements), and nothing that only the driver needs.
 */
public interface Partition extends Serializable {
  int index();
}
