package io.weft.testing;

import io.weft.Pair;
import io.weft.Partitioner;
import io.weft.TaskContext;
import io.weft.plan.Dependency;
import io.weft.plan.NarrowDependency;
import io.weft.plan.Node;
import io.weft.plan.Partition;
import io.weft.plan.ShuffleDependency;
import io.weft.serialization.JavaSerializer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lineage node for scheduler tests: a given number of partitions, given dependencies and
 * preferred hosts; it is never computed (the fake backend runs nothing).
 */
public final class TestNode extends Node<Pair<Object, Object>> {
  private static final AtomicInteger IDS = new AtomicInteger(1000);
  private static final AtomicInteger SHUFFLE_IDS = new AtomicInteger(100);

  private final int partitions;
  private final List<Dependency> deps;
  private final Partitioner partitioner;
  private final List<List<String>> hosts;

  private TestNode(int partitions, List<Dependency> deps, Partitioner partitioner, List<List<String>> hosts) {
    super(null, IDS.getAndIncrement());
    this.partitions = partitions;
    this.deps = deps;
    this.partitioner = partitioner;
    this.hosts = hosts;
  }

  /** A source with {@code n} partitions and no locality preference. */
  public static TestNode source(int n) {
    return new TestNode(n, List.of(), null, null);
  }

  /** A source whose partition i prefers {@code hosts.get(i)}. */
  public static TestNode sourceOn(List<List<String>> hosts) {
    return new TestNode(hosts.size(), List.of(), null, hosts);
  }

  /** A node that reads {@code parent} one-to-one (same stage). */
  public static TestNode narrow(TestNode parent) {
    return new TestNode(parent.numPartitions(), List.of(new NarrowDependency.OneToOne(parent)), null, null);
  }

  /** The reduce side of a new shuffle of each parent into {@code n} partitions. */
  public static TestNode shuffled(int n, TestNode... parents) {
    List<Dependency> deps = new ArrayList<>();
    Partitioner p = new io.weft.HashPartitioner(n);
    for (TestNode parent : parents) {
      deps.add(new ShuffleDependency<>(parent, SHUFFLE_IDS.getAndIncrement(), p, new JavaSerializer(),
          null, false, null));
    }
    return new TestNode(n, deps, p, null);
  }

  public ShuffleDependency<?, ?, ?> shuffleDependency(int i) {
    return (ShuffleDependency<?, ?, ?>) deps.get(i);
  }

  private record P(int index) implements Partition {}

  @Override
  protected Partition[] computePartitions() {
    Partition[] out = new Partition[partitions];
    for (int i = 0; i < partitions; i++) {
      out[i] = new P(i);
    }
    return out;
  }

  @Override
  public List<Dependency> dependencies() {
    return deps;
  }

  @Override
  public Partitioner partitioner() {
    return partitioner;
  }

  @Override
  public List<String> preferredLocations(Partition partition) {
    return hosts == null ? List.of() : hosts.get(partition.index());
  }

  @Override
  public Iterator<Pair<Object, Object>> compute(Partition partition, TaskContext task) {
    throw new UnsupportedOperationException("scheduler tests never compute partitions");
  }
}
