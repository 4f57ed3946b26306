package io.weft.plan;

import io.weft.Partitioner;
import io.weft.StorageLevel;
import io.weft.TaskContext;
import io.weft.WeftContext;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;

/**
 * One step of a dataset's lineage: how many partitions it has, which nodes it depends on, and how
 * to compute one partition from its parents. Datasets are thin typed wrappers over nodes.
 *
 * <p>Nodes are created on the driver and serialized into task binaries, so a subclass keeps its
 * parents and functions in (serializable) fields and its driver-only state in transient ones. The
 * partition array is computed once on the driver ({@link #partitions()}); tasks receive the one
 * {@link Partition} they compute.
 */
public abstract class Node<T> implements Serializable {
  private final transient WeftContext context;
  private final int id;
  private transient Partition[] partitions;
  private StorageLevel storageLevel = StorageLevel.NONE;
  private String name;

  protected Node(WeftContext context) {
    this(context, context.newNodeId());
  }

  /** For nodes built without a context: scheduler tests number their nodes themselves. */
  protected Node(WeftContext context, int id) {
    this.context = context;
    this.id = id;
  }

  public final int id() {
    return id;
  }

  /** The driver's context; null inside a task. */
  public final WeftContext context() {
    return context;
  }

  /** The partitions, computed once (on the driver: it may list files or sample data). */
  public final Partition[] partitions() {
    if (partitions == null) {
      Partition[] computed = computePartitions();
      for (int i = 0; i < computed.length; i++) {
        if (computed[i].index() != i) {
          throw new IllegalStateException(this + ": partition " + i + " has index " + computed[i].index());
        }
      }
      partitions = computed;
    }
    return partitions;
  }

  public final int numPartitions() {
    return partitions().length;
  }

  protected abstract Partition[] computePartitions();

  /** The parents of this node; empty for a source. */
  public abstract List<Dependency> dependencies();

  /** Computes one partition inside a task. */
  public abstract Iterator<T> compute(Partition partition, TaskContext task);

  /** How this node's (key-value) data is partitioned, or null if unknown. */
  public Partitioner partitioner() {
    return null;
  }

  /** Hosts where {@code partition} is cheap to compute (its input's block hosts); empty if none. */
  public List<String> preferredLocations(Partition partition) {
    return List.of();
  }

  /** The partition's data, from the block store when this node is persisted, else computed. */
  public final Iterator<T> iterator(Partition partition, TaskContext task) {
    if (storageLevel == StorageLevel.NONE) {
      return compute(partition, task);
    }
    return task.env().blockManager().getOrCompute(id, partition.index(), storageLevel,
        () -> compute(partition, task), task);
  }

  public final StorageLevel storageLevel() {
    return storageLevel;
  }

  public final void setStorageLevel(StorageLevel level) {
    if (storageLevel != StorageLevel.NONE && level != StorageLevel.NONE && level != storageLevel) {
      throw new IllegalStateException(
          "cannot change the storage level of " + this + " from " + storageLevel + " to " + level);
    }
    storageLevel = level;
  }

  public final Node<T> setName(String name) {
    this.name = name;
    return this;
  }

  /** A short description for logs and the lineage dump: the node type and id. */
  @Override
  public String toString() {
    String base = getClass().getSimpleName() + "[" + id + "]";
    return name == null ? base : base + " " + name;
  }

  /** The lineage as an indented tree, shuffle boundaries marked with '+-'. */
  public final String toDebugString() {
    StringBuilder sb = new StringBuilder();
    appendDebug(sb, "", true);
    return sb.toString();
  }

  private void appendDebug(StringBuilder sb, String indent, boolean narrow) {
    sb.append(indent).append(narrow ? "" : "+-").append(this)
        .append(" (").append(numPartitions()).append(" partitions")
        .append(storageLevel == StorageLevel.NONE ? "" : ", " + storageLevel).append(")\n");
    for (Dependency dep : dependencies()) {
      boolean isNarrow = dep instanceof NarrowDependency;
      dep.parent().appendDebug(sb, indent + (isNarrow ? "  " : "| "), isNarrow);
    }
  }
}
