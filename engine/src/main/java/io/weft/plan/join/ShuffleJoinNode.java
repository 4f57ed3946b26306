package io.weft.plan.join;

import com.google.common.collect.AbstractIterator;
import com.google.common.collect.Iterators;
import com.google.common.collect.PeekingIterator;
import io.weft.KeyHash;
import io.weft.Pair;
import io.weft.Partitioner;
import io.weft.TaskContext;
import io.weft.UnsupportedKeyException;
import io.weft.plan.Aggregator;
import io.weft.plan.CoPartitionedNode;
import io.weft.plan.Node;
import io.weft.plan.Partition;
import io.weft.plan.ShuffleDependency;
import io.weft.serialization.Serializer;
import io.weft.shuffle.ShuffleBlocks;
import io.weft.shuffle.sort.ExternalSorter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A shuffle join: both sides are partitioned by the same partitioner (a side already partitioned
 * that way is read in place), and each reduce partition joins its two halves without ever
 * holding a key's cross product. Output values are shaped by the {@link JoinType}.
 *
 * <p>Per reduce partition:
 * <ol>
 *   <li>The <em>build</em> side is the one with fewer shuffle bytes for this partition (from the
 *       finished map stages' block sizes), the right side when a size is unknown. Its values are
 *       grouped per key by an {@link ExternalSorter}, which spills within the task's shuffle
 *       memory if it must.
 *   <li>If nothing spilled, the groups go into a hash map and the other side streams through it
 *       unsorted (a hash join: one {@link JoinIterator.Run}).
 *   <li>If the build side spilled, the streamed side is sorted by key hash by a second sorter
 *       (spilling too), and the two hash-ordered streams are merged, one run per hash (a
 *       sort-merge join); only the build values of one hash are in memory at a time.
 * </ol>
 * Either way a key's output pairs are produced one at a time: 20,000 values on one side and 2,000
 * on the other give 40 million records to the consumer while memory holds 2,000 values. A single
 * key's build values must fit in memory.
 *
 * <p>Threading: one task thread; the sorters' spills go when the task completes.
 */
public final class ShuffleJoinNode<K> extends CoPartitionedNode<K, Pair<K, Object>> {
  private final JoinType type;
  private final String reason;

  /** @param reason why the planner chose a shuffle join, for {@code explain()} */
  public ShuffleJoinNode(Node<? extends Pair<K, ?>> left, Node<? extends Pair<K, ?>> right, Partitioner partitioner,
      Serializer serializer, JoinType type, String reason) {
    super(List.of(left, right), partitioner, serializer, type.operation());
    this.type = type;
    this.reason = reason;
  }

  public JoinType joinType() {
    return type;
  }

  /** Why the planner chose a shuffle join (sizes, threshold, hint or join type). */
  public String reason() {
    return reason;
  }

  @Override
  public Iterator<Pair<K, Object>> compute(Partition partition, TaskContext task) {
    long leftBytes = shuffleBytes(0, partition.index(), task);
    long rightBytes = shuffleBytes(1, partition.index(), task);
    boolean buildIsRight = leftBytes < 0 || rightBytes < 0 || rightBytes <= leftBytes;
    int build = buildIsRight ? 1 : 0;
    ExternalSorter<Object, Object, ArrayList<Object>> groups =
        new ExternalSorter<>(task, Aggregator.<Object, Object>grouping(), null, null, serializer());
    try {
      groups.insertAll(pairs(build, partition, task));
    } catch (UnsupportedKeyException e) {
      throw e.in(type.operation());
    }
    Iterator<? extends Pair<?, ?>> streamed = pairs(1 - build, partition, task);
    Iterator<Pair<Object, Object>> out;
    if (groups.spillCount() == 0) {
      Map<Object, List<Object>> table = new HashMap<>();
      groups.iterator().forEachRemaining(g -> table.put(g.key(), g.value()));
      out = JoinIterator.of(table, streamed, type, buildIsRight);
    } else {
      out = new JoinIterator(sortMergeRuns(groups, streamed, task), type, buildIsRight);
    }
    @SuppressWarnings("unchecked")
    Iterator<Pair<K, Object>> typed = (Iterator<Pair<K, Object>>) (Iterator<?>) out;
    return typed;
  }

  /** Bytes side {@code d} shuffles into {@code reduceId}, or -1 when read in place. */
  private long shuffleBytes(int d, int reduceId, TaskContext task) {
    if (!(dependencies().get(d) instanceof ShuffleDependency<?, ?, ?> s)) {
      return -1;
    }
    ShuffleBlocks blocks = task.shuffleBlocks(s.shuffleId());
    long total = 0;
    for (int b = 0; b < blocks.blockCount(); b++) {
      if (blocks.reduceId(b) == reduceId) {
        total += blocks.blockSize(b);
      }
    }
    return total;
  }

  @SuppressWarnings("unchecked")
  private Iterator<Pair<Object, Object>> pairs(int d, Partition partition, TaskContext task) {
    return (Iterator<Pair<Object, Object>>) (Iterator<?>) records(d, partition, task);
  }

  /**
   * Runs of equal key hash from the build groups (hash-ordered, as the sorter emits them after a
   * spill) and the streamed records, sorted by hash here.
   */
  private Iterator<JoinIterator.Run> sortMergeRuns(ExternalSorter<Object, Object, ArrayList<Object>> groups,
      Iterator<? extends Pair<?, ?>> streamed, TaskContext task) {
    Comparator<Object> byHash = (a, b) -> Integer.compare(KeyHash.hash(a), KeyHash.hash(b));
    ExternalSorter<Object, Object, Object> sortedStream = new ExternalSorter<>(task, null, null, byHash, serializer());
    @SuppressWarnings("unchecked")
    Iterator<Pair<Object, Object>> s = (Iterator<Pair<Object, Object>>) streamed;
    try {
      sortedStream.insertAll(s);
    } catch (UnsupportedKeyException e) {
      throw e.in(type.operation());
    }
    PeekingIterator<Pair<Object, ArrayList<Object>>> g = Iterators.peekingIterator(groups.iterator());
    PeekingIterator<Pair<Object, Object>> r = Iterators.peekingIterator(sortedStream.iterator());
    return new AbstractIterator<>() {
      @Override
      protected JoinIterator.Run computeNext() {
        if (!g.hasNext() && !r.hasNext()) {
          return endOfData();
        }
        int hash = !g.hasNext() ? KeyHash.hash(r.peek().key())
            : !r.hasNext() ? KeyHash.hash(g.peek().key())
            : Math.min(KeyHash.hash(g.peek().key()), KeyHash.hash(r.peek().key()));
        Map<Object, List<Object>> build = new HashMap<>();
        while (g.hasNext() && KeyHash.hash(g.peek().key()) == hash) {
          Pair<Object, ArrayList<Object>> group = g.next();
          build.put(group.key(), group.value());
        }
        Iterator<Pair<Object, Object>> ofHash = new AbstractIterator<>() {
          @Override
          protected Pair<Object, Object> computeNext() {
            return r.hasNext() && KeyHash.hash(r.peek().key()) == hash ? r.next() : endOfData();
          }
        };
        return new JoinIterator.Run(build, ofHash);
      }
    };
  }
}
