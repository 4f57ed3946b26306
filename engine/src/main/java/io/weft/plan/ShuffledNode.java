package io.weft.plan;

import io.weft.Pair;
import io.weft.Partitioner;
import io.weft.TaskContext;
import io.weft.shuffle.ShuffleReader;
import java.util.Iterator;
import java.util.List;

/**
 * The reduce side of a shuffle: partition i holds every record whose key the partitioner sends
 * to i, combined by the dependency's aggregator and sorted by its key ordering when those are set.
 */
public final class ShuffledNode<K, V, C> extends Node<Pair<K, C>> {
  private final ShuffleDependency<K, V, C> dependency;

  public ShuffledNode(ShuffleDependency<K, V, C> dependency) {
    super(dependency.parent().context());
    this.dependency = dependency;
  }

  private record ShufflePartition(int index) implements Partition {}

  @Override
  protected Partition[] computePartitions() {
    Partition[] parts = new Partition[dependency.partitioner().numPartitions()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = new ShufflePartition(i);
    }
    return parts;
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of(dependency);
  }

  @Override
  public Partitioner partitioner() {
    return dependency.partitioner();
  }

  @Override
  public Iterator<Pair<K, C>> compute(Partition partition, TaskContext task) {
    return ShuffleReader.read(dependency, partition.index(), partition.index() + 1, task);
  }
}
