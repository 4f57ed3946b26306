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
import io.weft.plan.Dependency;
import io.weft.plan.NarrowDependency;
import io.weft.plan.Node;
import io.weft.plan.Partition;
import io.weft.plan.ShuffleDependency;
import io.weft.serialization.Serializer;
import io.weft.shuffle.ShuffleBlocks;
import io.weft.shuffle.ShuffleReader;
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
public final class ShuffleJoinNode<K> extends Node<Pair<K, Object>> {
  private final List<Node<? extends Pair<K, ?>>> parents;
  private final List<Dependency> dependencies;
  private final Partitioner partitioner;
  private final Serializer serializer;
  private final JoinType type;
  private final String reason;

  /** @param reason why the planner chose a shuffle join, for {@code explain()} */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public ShuffleJoinNode(Node<? extends Pair<K, ?>> left, Node<? extends Pair<K, ?>> right, Partitioner partitioner,
      Serializer serializer, JoinType type, String reason) {
    super(left.context());
    this.parents = List.of(left, right);
    this.partitioner = partitioner;
    this.serializer = serializer;
    this.type = type;
    this.reason = reason;
    List<Dependency> deps = new ArrayList<>();
    for (Node<? extends Pair<K, ?>> p : parents) {
      if (partitioner.equals(p.partitioner())) {
        deps.add(new NarrowDependency.OneToOne(p));
      } else {
        deps.add(new ShuffleDependency((Node) p, context().newShuffleId(), partitioner, serializer,
            null, false, null, type.operation()));
      }
    }
    this.dependencies = List.copyOf(deps);
  }

  public JoinType joinType() {
    return type;
  }

  /** Why the planner chose a shuffle join (sizes, threshold, hint or join type). */
  public String reason() {
    return reason;
  }

  private record JoinPartition(int index, List<Partition> narrowParents) implements Partition {}

  @Override
  protected Partition[] computePartitions() {
    Partition[] out = new Partition[partitioner.numPartitions()];
    for (int i = 0; i < out.length; i++) {
      List<Partition> narrow = new ArrayList<>();
      for (int d = 0; d < 2; d++) {
        narrow.add(dependencies.get(d) instanceof NarrowDependency ? parents.get(d).partitions()[i] : null);
      }
      out[i] = new JoinPartition(i, narrow);
    }
    return out;
  }

  @Override
  public List<Dependency> dependencies() {
    return dependencies;
  }

  @Override
  public Partitioner partitioner() {
    return partitioner;
  }

  @Override
  public Iterator<Pair<K, Object>> compute(Partition partition, TaskContext task) {
    JoinPartition jp = (JoinPartition) partition;
    long leftBytes = shuffleBytes(0, jp.index(), task);
    long rightBytes = shuffleBytes(1, jp.index(), task);
    boolean buildIsRight = leftBytes < 0 || rightBytes < 0 || rightBytes <= leftBytes;
    int build = buildIsRight ? 1 : 0;
    ExternalSorter<Object, Object, ArrayList<Object>> groups =
        new ExternalSorter<>(task, grouping(), null, null, serializer);
    try {
      groups.insertAll(records(build, jp, task));
    } catch (UnsupportedKeyException e) {
      throw e.in(type.operation());
    }
    Iterator<? extends Pair<?, ?>> streamed = records(1 - build, jp, task);
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
    if (!(dependencies.get(d) instanceof ShuffleDependency<?, ?, ?> s)) {
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
  private Iterator<Pair<Object, Object>> records(int d, JoinPartition jp, TaskContext task) {
    Dependency dep = dependencies.get(d);
    Iterator<?> it = dep instanceof ShuffleDependency<?, ?, ?> s
        ? ShuffleReader.read(s, jp.index(), jp.index() + 1, task)
        : parents.get(d).iterator(jp.narrowParents().get(d), task);
    return (Iterator<Pair<Object, Object>>) it;
  }

  /** Collects a key's values into one list (what groupByKey does, for the build side only). */
  private static Aggregator<Object, Object, ArrayList<Object>> grouping() {
    return new Aggregator<>(
        v -> {
          ArrayList<Object> l = new ArrayList<>();
          l.add(v);
          return l;
        },
        (l, v) -> {
          l.add(v);
          return l;
        },
        (a, b) -> {
          a.addAll(b);
          return a;
        });
  }

  /**
   * Runs of equal key hash from the build groups (hash-ordered, as the sorter emits them after a
   * spill) and the streamed records, sorted by hash here.
   */
  private Iterator<JoinIterator.Run> sortMergeRuns(ExternalSorter<Object, Object, ArrayList<Object>> groups,
      Iterator<? extends Pair<?, ?>> streamed, TaskContext task) {
    Comparator<Object> byHash = (a, b) -> Integer.compare(KeyHash.hash(a), KeyHash.hash(b));
    ExternalSorter<Object, Object, Object> sortedStream = new ExternalSorter<>(task, null, null, byHash, serializer);
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
