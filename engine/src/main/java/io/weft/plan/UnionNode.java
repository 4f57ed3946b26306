package io.weft.plan;

import io.weft.TaskContext;
import io.weft.WeftContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The partitions of several parents side by side, without a shuffle. */
public final class UnionNode<T> extends Node<T> {
  private final List<Node<T>> parents;

  public UnionNode(WeftContext context, List<Node<T>> parents) {
    super(context);
    this.parents = List.copyOf(parents);
  }

  private record UnionPartition(int index, int parent, Partition parentPartition) implements Partition {}

  @Override
  protected Partition[] computePartitions() {
    List<Partition> out = new ArrayList<>();
    for (int p = 0; p < parents.size(); p++) {
      for (Partition part : parents.get(p).partitions()) {
        out.add(new UnionPartition(out.size(), p, part));
      }
    }
    return out.toArray(new Partition[0]);
  }

  @Override
  public List<Dependency> dependencies() {
    List<Dependency> deps = new ArrayList<>();
    int start = 0;
    for (Node<T> p : parents) {
      deps.add(new NarrowDependency.Range(p, 0, start, p.numPartitions()));
      start += p.numPartitions();
    }
    return deps;
  }

  @Override
  public List<String> preferredLocations(Partition partition) {
    UnionPartition u = (UnionPartition) partition;
    return parents.get(u.parent()).preferredLocations(u.parentPartition());
  }

  @Override
  public Iterator<T> compute(Partition partition, TaskContext task) {
    UnionPartition u = (UnionPartition) partition;
    return parents.get(u.parent()).iterator(u.parentPartition(), task);
  }
}
