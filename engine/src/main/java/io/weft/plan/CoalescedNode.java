package io.weft.plan;

import com.google.common.collect.Iterators;
import io.weft.TaskContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Fewer partitions without a shuffle: each partition reads a contiguous run of parent partitions
 * in one task. Used by {@code coalesce(n)}; {@code repartition(n)} shuffles instead.
 */
public final class CoalescedNode<T> extends Node<T> {
  private final Node<T> parent;
  private final transient int target;

  public CoalescedNode(Node<T> parent, int target) {
    super(parent.context());
    if (target < 1) {
      throw new IllegalArgumentException("number of partitions must be positive, got " + target);
    }
    this.parent = parent;
    this.target = target;
  }

  private record Group(int index, List<Partition> parents) implements Partition {}

  @Override
  protected Partition[] computePartitions() {
    Partition[] in = parent.partitions();
    int n = Math.min(target, Math.max(1, in.length));
    Partition[] out = new Partition[n];
    for (int i = 0; i < n; i++) {
      int start = (int) ((long) i * in.length / n);
      int end = (int) ((long) (i + 1) * in.length / n);
      List<Partition> group = new ArrayList<>();
      for (int j = start; j < end; j++) {
        group.add(in[j]);
      }
      out[i] = new Group(i, group);
    }
    return out;
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of(new NarrowDependency(parent) {
      @Override
      public List<Integer> parentPartitions(int childPartition) {
        return ((Group) partitions()[childPartition]).parents().stream().map(Partition::index).toList();
      }
    });
  }

  @Override
  public List<String> preferredLocations(Partition partition) {
    List<String> hosts = new ArrayList<>();
    for (Partition p : ((Group) partition).parents()) {
      for (String h : parent.preferredLocations(p)) {
        if (!hosts.contains(h)) {
          hosts.add(h);
        }
      }
    }
    return hosts;
  }

  @Override
  public Iterator<T> compute(Partition partition, TaskContext task) {
    Iterator<Partition> parts = ((Group) partition).parents().iterator();
    return Iterators.concat(Iterators.transform(parts, p -> parent.iterator(p, task)));
  }
}
