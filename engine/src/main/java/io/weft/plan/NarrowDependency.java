package io.weft.plan;

import java.util.List;

/** A dependency in which each child partition reads a few known parent partitions. */
public abstract class NarrowDependency extends Dependency {
  private final Node<?> parent;

  protected NarrowDependency(Node<?> parent) {
    this.parent = parent;
  }

  @Override
  public Node<?> parent() {
    return parent;
  }

  /** The parent partitions that child partition {@code childPartition} reads. */
  public abstract List<Integer> parentPartitions(int childPartition);

  /** Child partition i reads parent partition i. */
  public static final class OneToOne extends NarrowDependency {
    public OneToOne(Node<?> parent) {
      super(parent);
    }

    @Override
    public List<Integer> parentPartitions(int childPartition) {
      return List.of(childPartition);
    }
  }

  /** Child partitions {@code [outStart, outStart + length)} read parent partitions {@code [inStart, ...)}. */
  public static final class Range extends NarrowDependency {
    private final int inStart;
    private final int outStart;
    private final int length;

    public Range(Node<?> parent, int inStart, int outStart, int length) {
      super(parent);
      this.inStart = inStart;
      this.outStart = outStart;
      this.length = length;
    }

    @Override
    public List<Integer> parentPartitions(int childPartition) {
      if (childPartition >= outStart && childPartition < outStart + length) {
        return List.of(childPartition - outStart + inStart);
      }
      return List.of();
    }
  }
}
