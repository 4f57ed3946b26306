package io.weft.bench.sim;

import io.weft.TaskContext;
import io.weft.plan.Dependency;
import io.weft.plan.Node;
import io.weft.plan.Partition;
import java.util.Iterator;
import java.util.List;

/**
 * An input of one partition per block, each preferring its block's hosts, as an HDFS text file's
 * splits do. Its tasks never run (the simulator only pretends they did), so {@link #compute}
 * refuses; the block hosts are driver-only state and are not shipped in the task binary.
 */
final class SimulatedInput extends Node<Object> {
  private final transient String[][] blockHosts;

  /** One block: what a task would be shipped. */
  record BlockPartition(int index) implements Partition {}

  SimulatedInput(String[][] blockHosts) {
    super(null, 0);
    this.blockHosts = blockHosts;
  }

  @Override
  protected Partition[] computePartitions() {
    Partition[] parts = new Partition[blockHosts.length];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = new BlockPartition(i);
    }
    return parts;
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of();
  }

  @Override
  public Iterator<Object> compute(Partition partition, TaskContext task) {
    throw new UnsupportedOperationException("simulated input: its tasks are never run");
  }

  @Override
  public List<String> preferredLocations(Partition partition) {
    return List.of(blockHosts[partition.index()]);
  }
}
