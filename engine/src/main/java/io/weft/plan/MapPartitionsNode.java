package io.weft.plan;

import io.weft.Partitioner;
import io.weft.TaskContext;
import io.weft.executor.UserFunctionException;
import java.util.Iterator;
import java.util.List;

/**
 * Applies a function to each partition of its parent, in the same task (map, flatMap, filter,
 * mapPartitions, mapValues all end up here). Keeps the parent's partitioner only when told that
 * keys are unchanged.
 */
public final class MapPartitionsNode<T, R> extends Node<R> {
  private final Node<T> parent;
  private final PartitionTransform<T, R> transform;
  private final boolean preservesPartitioning;

  public MapPartitionsNode(Node<T> parent, PartitionTransform<T, R> transform, boolean preservesPartitioning) {
    super(parent.context());
    this.parent = parent;
    this.transform = transform;
    this.preservesPartitioning = preservesPartitioning;
  }

  /** The per-partition function (for {@code explain()}, which names the operation behind it). */
  public PartitionTransform<T, R> transform() {
    return transform;
  }

  @Override
  protected Partition[] computePartitions() {
    return parent.partitions();
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of(new NarrowDependency.OneToOne(parent));
  }

  @Override
  public Partitioner partitioner() {
    return preservesPartitioning ? parent.partitioner() : null;
  }

  @Override
  public Iterator<R> compute(Partition partition, TaskContext task) {
    try {
      return transform.apply(task, partition.index(), parent.iterator(partition, task));
    } catch (Exception e) {
      throw UserFunctionException.wrap(e);
    }
  }
}
