package io.weft.plan;

import io.weft.TaskContext;
import io.weft.WeftContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A driver-side list cut into contiguous slices; each partition carries its slice. */
public final class ParallelCollectionNode<T> extends Node<T> {
  private final transient List<T> data;
  private final transient int numSlices;

  public ParallelCollectionNode(WeftContext context, List<T> data, int numSlices) {
    super(context);
    if (numSlices < 1) {
      throw new IllegalArgumentException("numSlices must be positive, got " + numSlices);
    }
    this.data = new ArrayList<>(data);
    this.numSlices = numSlices;
  }

  private record Slice<T>(int index, ArrayList<T> values) implements Partition {}

  @Override
  protected Partition[] computePartitions() {
    Partition[] parts = new Partition[numSlices];
    long n = data.size();
    for (int i = 0; i < numSlices; i++) {
      int start = (int) (i * n / numSlices);
      int end = (int) ((i + 1) * n / numSlices);
      parts[i] = new Slice<>(i, new ArrayList<>(data.subList(start, end)));
    }
    return parts;
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of();
  }

  @Override
  @SuppressWarnings("unchecked")
  public Iterator<T> compute(Partition partition, TaskContext task) {
    // an in-memory slice never blocks: check each record for a kill
    return Iterators.interruptible(((Slice<T>) partition).values().iterator());
  }
}
