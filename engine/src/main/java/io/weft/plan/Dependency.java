package io.weft.plan;

import java.io.Serializable;

/**
 * An edge of the lineage graph. A {@link NarrowDependency} lets a child partition be computed
 * from a few parent partitions in the same task (the planner pipelines it); a
 * {@link ShuffleDependency} needs all parent partitions, so the planner cuts a stage there.
 */
public abstract class Dependency implements Serializable {
  /** The parent node; only valid on the driver for shuffle dependencies. */
  public abstract Node<?> parent();
}
