package io.weft.plan;

import io.weft.Pair;
import io.weft.Partitioner;
import io.weft.TaskContext;
import io.weft.serialization.Serializer;
import io.weft.shuffle.ShuffleReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A node that reads several key-value parents partition by partition under one partitioner:
 * a parent already partitioned that way is read in place (a narrow dependency), any other
 * through its own shuffle. Partition {@code i} of this node reads partition {@code i} of every
 * parent. What {@code cogroup} ({@link CoGroupedNode}) and the shuffle join share.
 *
 * @param <K> the key type of the parents
 * @param <R> this node's record type
 */
public abstract class CoPartitionedNode<K, R> extends Node<R> {
  private final List<Node<? extends Pair<K, ?>>> parents;
  private final List<Dependency> dependencies;
  private final Partitioner partitioner;
  private final Serializer serializer;

  /** @param operation the user-facing operation ({@code join}, {@code cogroup}...), named in errors about keys */
  @SuppressWarnings({"unchecked", "rawtypes"})
  protected CoPartitionedNode(List<? extends Node<? extends Pair<K, ?>>> parents, Partitioner partitioner,
      Serializer serializer, String operation) {
    super(parents.get(0).context());
    this.parents = List.copyOf(parents);
    this.partitioner = partitioner;
    this.serializer = serializer;
    List<Dependency> deps = new ArrayList<>();
    for (Node<? extends Pair<K, ?>> p : this.parents) {
      if (partitioner.equals(p.partitioner())) {
        deps.add(new NarrowDependency.OneToOne(p));
      } else {
        deps.add(new ShuffleDependency((Node) p, context().newShuffleId(), partitioner, serializer,
            null, false, null, operation));
      }
    }
    this.dependencies = List.copyOf(deps);
  }

  /** Partition {@code index}, with the matching partitions of the parents read in place (null for shuffled ones). */
  private record CoPartition(int index, List<Partition> narrowParents) implements Partition {}

  @Override
  protected final Partition[] computePartitions() {
    Partition[] out = new Partition[partitioner.numPartitions()];
    for (int i = 0; i < out.length; i++) {
      List<Partition> narrow = new ArrayList<>();
      for (int d = 0; d < dependencies.size(); d++) {
        narrow.add(dependencies.get(d) instanceof NarrowDependency ? parents.get(d).partitions()[i] : null);
      }
      out[i] = new CoPartition(i, narrow);
    }
    return out;
  }

  @Override
  public final List<Dependency> dependencies() {
    return dependencies;
  }

  @Override
  public final Partitioner partitioner() {
    return partitioner;
  }

  protected final Serializer serializer() {
    return serializer;
  }

  /** The records parent {@code d} holds for {@code partition}: read in place or from its shuffle. */
  protected final Iterator<? extends Pair<K, ?>> records(int d, Partition partition, TaskContext task) {
    if (dependencies.get(d) instanceof ShuffleDependency<?, ?, ?> s) {
      @SuppressWarnings("unchecked")
      Iterator<? extends Pair<K, ?>> shuffled = (Iterator<? extends Pair<K, ?>>) (Iterator<?>)
          ShuffleReader.read(s, partition.index(), partition.index() + 1, task);
      return shuffled;
    }
    return parents.get(d).iterator(((CoPartition) partition).narrowParents().get(d), task);
  }
}
