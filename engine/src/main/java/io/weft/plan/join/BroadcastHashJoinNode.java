package io.weft.plan.join;

import io.weft.Broadcast;
import io.weft.Pair;
import io.weft.Partitioner;
import io.weft.TaskContext;
import io.weft.plan.Dependency;
import io.weft.plan.NarrowDependency;
import io.weft.plan.Node;
import io.weft.plan.Partition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A broadcast hash join: the small side, collected on the driver into a hash table of values by
 * key, is shipped once to each executor as a {@link Broadcast}; each partition of the big side
 * streams through it where it lies, with no shuffle. The result keeps the big side's partitions
 * and partitioner (its keys are unchanged).
 *
 * <p>Only joins that drop the small side's unmatched keys can run this way: inner joins, and
 * the outer join that keeps the big side ({@code leftOuterJoin} with the right side broadcast).
 * Keeping the small side's unmatched keys would need to know that no big partition matched them.
 *
 * <p>Threading: tasks only read the broadcast table, which executors share between tasks.
 */
public final class BroadcastHashJoinNode<K> extends Node<Pair<K, Object>> {
  private final Node<? extends Pair<K, ?>> big;
  private final Broadcast<HashMap<Object, List<Object>>> table;
  private final boolean smallIsRight;
  private final JoinType type;
  private final String reason;

  /**
   * @param table the small side's values by key, from {@link #buildTable}
   * @param smallIsRight whether the broadcast side is the join's right side
   * @param reason why this strategy was chosen, for {@code explain()}
   */
  public BroadcastHashJoinNode(Node<? extends Pair<K, ?>> big, Broadcast<HashMap<Object, List<Object>>> table,
      boolean smallIsRight, JoinType type, String reason) {
    super(big.context());
    if (smallIsRight ? !type.canBroadcastRight() : !type.canBroadcastLeft()) {
      throw new IllegalArgumentException(type.operation() + " keeps the unmatched records of its "
          + (smallIsRight ? "right" : "left") + " side, which therefore cannot be broadcast");
    }
    this.big = big;
    this.table = table;
    this.smallIsRight = smallIsRight;
    this.type = type;
    this.reason = reason;
  }

  /** The small side's records as a table of values by key (on the driver, before broadcasting). */
  public static HashMap<Object, List<Object>> buildTable(List<? extends Pair<?, ?>> records) {
    HashMap<Object, List<Object>> table = new HashMap<>();
    for (Pair<?, ?> r : records) {
      table.computeIfAbsent(r.key(), k -> new ArrayList<>(1)).add(r.value());
    }
    return table;
  }

  public JoinType joinType() {
    return type;
  }

  /** Why the planner chose a broadcast join (sizes, threshold or hint). */
  public String reason() {
    return reason;
  }

  public boolean smallIsRight() {
    return smallIsRight;
  }

  @Override
  protected Partition[] computePartitions() {
    return big.partitions();
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of(new NarrowDependency.OneToOne(big));
  }

  @Override
  public Partitioner partitioner() {
    return big.partitioner();
  }

  @Override
  @SuppressWarnings("unchecked")
  public Iterator<Pair<K, Object>> compute(Partition partition, TaskContext task) {
    Map<Object, List<Object>> values = table.value();
    Iterator<? extends Pair<?, ?>> streamed = big.iterator(partition, task);
    return (Iterator<Pair<K, Object>>) (Iterator<?>) JoinIterator.of(values, streamed, type, smallIsRight);
  }
}
