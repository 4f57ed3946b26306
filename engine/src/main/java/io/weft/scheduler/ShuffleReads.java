package io.weft.scheduler;

import io.weft.plan.Dependency;
import io.weft.plan.NarrowDependency;
import io.weft.plan.Node;
import io.weft.plan.ShuffleDependency;
import io.weft.shuffle.ShuffleBlocks;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the tasks of one stage attempt read from the shuffles before it: the map statuses of each
 * shuffle as they were when the attempt was submitted, and, per task partition, which reduce
 * partitions of which shuffle the task reads. At launch, {@link #blocksFor} turns that into the
 * task's {@link ShuffleBlocks}: only the non-empty blocks of its own reduce partitions.
 *
 * <p>Which reduce partitions a task reads follows from the lineage: a node that depends on a
 * shuffle reads reduce partition i in its partition i ({@code ShuffledNode}, {@code CoGroupedNode},
 * {@code ShuffleJoinNode});
 * narrow dependencies map a partition to its parents' (a coalesce or union reaches several). A
 * reader asked for a partition it was not given fails loudly (see {@code ShuffleReader}), so a
 * node that broke this rule could not silently read nothing.
 *
 * <p>Cost: building is O(tasks x lineage depth); {@link #blocksFor} is O(M) per reduce partition
 * (one bitmap or byte test per map status), on the scheduler thread at launch.
 *
 * <p>Threading: built and used on the scheduler's event thread; immutable once built.
 */
public final class ShuffleReads {
  /** No shuffle is read (a stage reading only input or cached data). */
  public static final ShuffleReads NONE = new ShuffleReads(Map.of(), Map.of());

  private final Map<Integer, MapStatus[]> statuses;
  private final Map<Integer, Map<Integer, int[]>> reducePartitionsByTask;

  private ShuffleReads(Map<Integer, MapStatus[]> statuses, Map<Integer, Map<Integer, int[]>> reducePartitionsByTask) {
    this.statuses = statuses;
    this.reducePartitionsByTask = reducePartitionsByTask;
  }

  /**
   * The reads of the tasks computing {@code partitions} of {@code node}, with the current
   * statuses of every shuffle they read; each of those shuffles must be complete in {@code tracker}.
   */
  static ShuffleReads plan(Node<?> node, List<Integer> partitions, MapOutputTracker tracker) {
    Map<Integer, MapStatus[]> statuses = new HashMap<>();
    for (ShuffleDependency<?, ?, ?> dep : StagePlanner.nearestShuffleDependencies(node)) {
      statuses.put(dep.shuffleId(), tracker.statuses(dep.shuffleId()));
    }
    if (statuses.isEmpty()) {
      return NONE;
    }
    Map<Integer, Map<Integer, int[]>> byTask = new HashMap<>();
    for (int p : partitions) {
      byTask.put(p, reducePartitionsRead(node, p));
    }
    return new ShuffleReads(statuses, byTask);
  }

  /** The shuffles read, by id, with the reduce partitions that partition {@code partition} of {@code node} reads. */
  static Map<Integer, int[]> reducePartitionsRead(Node<?> node, int partition) {
    record Visit(Node<?> node, int partition) {}
    Map<Integer, Set<Integer>> found = new TreeMap<>();
    Set<Visit> seen = new HashSet<>();
    Deque<Visit> toVisit = new ArrayDeque<>();
    toVisit.add(new Visit(node, partition));
    while (!toVisit.isEmpty()) {
      Visit v = toVisit.poll();
      if (!seen.add(v)) {
        continue;
      }
      for (Dependency dep : v.node().dependencies()) {
        if (dep instanceof ShuffleDependency<?, ?, ?> s) {
          found.computeIfAbsent(s.shuffleId(), k -> new TreeSet<>()).add(v.partition());
        } else if (dep instanceof NarrowDependency narrow) {
          for (int parent : narrow.parentPartitions(v.partition())) {
            toVisit.add(new Visit(narrow.parent(), parent));
          }
        }
      }
    }
    Map<Integer, int[]> out = new TreeMap<>();
    found.forEach((shuffle, reduces) -> out.put(shuffle, reduces.stream().mapToInt(Integer::intValue).toArray()));
    return out;
  }

  /** The shuffles read by the tasks, by id. */
  public Set<Integer> shuffleIds() {
    return statuses.keySet();
  }

  /**
   * The non-empty blocks the task computing {@code partition} reads, per shuffle it reads. Every
   * shuffle of the stage is present (possibly with no blocks), so a task never lacks an entry.
   */
  public Map<Integer, ShuffleBlocks> blocksFor(int partition) {
    if (statuses.isEmpty()) {
      return Map.of();
    }
    Map<Integer, int[]> reads = reducePartitionsByTask.getOrDefault(partition, Map.of());
    Map<Integer, ShuffleBlocks> out = new HashMap<>();
    for (Map.Entry<Integer, MapStatus[]> e : statuses.entrySet()) {
      int[] reduces = reads.getOrDefault(e.getKey(), new int[0]);
      out.put(e.getKey(), blocks(e.getKey(), e.getValue(), reduces));
    }
    return out;
  }

  /**
   * The non-empty blocks of reduce partitions {@code reduces} (ascending) of the map outputs
   * {@code maps}, map after map, as the reader reads them.
   */
  public static ShuffleBlocks blocks(int shuffleId, MapStatus[] maps, int[] reduces) {
    ShuffleBlocks.Builder b = new ShuffleBlocks.Builder(shuffleId, reduces);
    for (int m = 0; m < maps.length; m++) {
      MapStatus status = maps[m];
      for (int r : reduces) {
        long size = status.blockSize(r);
        if (size > 0) {
          b.add(m, r, status.location(), size);
        }
      }
    }
    return b.build();
  }
}
