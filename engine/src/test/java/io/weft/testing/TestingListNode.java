package io.weft.testing;

import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.plan.Dependency;
import io.weft.plan.Node;
import io.weft.plan.Partition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A source node over fixed lists, one list per partition, optionally failing when a chosen
 * partition is computed (to test what a failing task leaves behind).
 */
public final class TestingListNode<T> extends Node<T> {
  private static final long serialVersionUID = 1L;

  private final ArrayList<ArrayList<T>> data = new ArrayList<>();
  private final int failingPartition;

  private TestingListNode(WeftContext ctx, List<List<T>> partitions, int failingPartition) {
    super(ctx);
    for (List<T> p : partitions) {
      data.add(new ArrayList<>(p));
    }
    this.failingPartition = failingPartition;
  }

  public static <T> TestingListNode<T> of(WeftContext ctx, List<List<T>> partitions) {
    return new TestingListNode<>(ctx, partitions, -1);
  }

  /** Computing partition {@code failingPartition} throws an {@link IllegalStateException}. */
  public static <T> TestingListNode<T> failingAt(WeftContext ctx, List<List<T>> partitions, int failingPartition) {
    return new TestingListNode<>(ctx, partitions, failingPartition);
  }

  private record Slice(int index) implements Partition {}

  @Override
  protected Partition[] computePartitions() {
    Partition[] ps = new Partition[data.size()];
    for (int i = 0; i < ps.length; i++) {
      ps[i] = new Slice(i);
    }
    return ps;
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of();
  }

  @Override
  public Iterator<T> compute(Partition partition, TaskContext task) {
    if (partition.index() == failingPartition) {
      throw new IllegalStateException("boom in partition " + partition.index());
    }
    return data.get(partition.index()).iterator();
  }
}
