package io.weft.plan.explain;

import io.weft.StorageLevel;
import io.weft.io.TextFileNode;
import io.weft.plan.CoGroupedNode;
import io.weft.plan.Dependency;
import io.weft.plan.MapPartitionsNode;
import io.weft.plan.Node;
import io.weft.plan.ShuffleDependency;
import io.weft.plan.ShuffledNode;
import io.weft.plan.join.BroadcastHashJoinNode;
import io.weft.plan.join.ShuffleJoinNode;
import io.weft.plan.join.SizeEstimates;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The physical plan of a dataset as text: the stages its job would run (cut at shuffles, as the
 * scheduler's {@code StagePlanner} cuts them), each stage's pipelined operators from its inputs
 * to its output, the shuffle each map stage writes (partitioner, partition count, map-side
 * combine on or off, the operation that asked for it), and each join's strategy with why.
 *
 * <p>Example, {@code textFile(users).mapToPair(..)} joined with a bigger input, then
 * {@code reduceByKey}:
 * <pre>
 * == Physical plan: 2 stages, 1 shuffle ==
 * Stage 0: shuffle map stage, 2 tasks
 *   TextFileNode[0] /in/events (2 partitions, 40.0 MB input)
 *   -> MapPartitionsNode[1] mapToPair (2 partitions)
 *   -> BroadcastHashJoinNode[4] join (2 partitions) join strategy: broadcast hash join, right side
 *      broadcast, no shuffle; why: right side 9.1 KB &lt;= threshold; ...
 *   -> MapPartitionsNode[5] mapToPair (2 partitions)
 *   => writes shuffle 1: HashPartitioner(2), 2 partitions, map-side combine on (reduceByKey)
 * Stage 1: result stage, 2 tasks
 *   <= reads shuffle 1 (from stage 0)
 *   ShuffledNode[6] reduceByKey (2 partitions)
 * </pre>
 * Stages are numbered in the order they can run (a stage after the stages it reads); the
 * scheduler's own stage ids, assigned when a job is submitted, may differ. A shuffle whose map
 * output a previous job already produced is still listed: whether it is reused is decided at run
 * time.
 *
 * <p>Driver only: it computes partitions (which lists input files).
 */
public final class PlanExplainer {
  private final Map<Integer, Stage> mapStages = new LinkedHashMap<>();
  private final List<Stage> ordered = new ArrayList<>();

  private PlanExplainer() {}

  /** One stage: its operators from inputs to output, the shuffles it reads, the one it writes. */
  private static final class Stage {
    int number;
    final List<Node<?>> pipeline = new ArrayList<>();
    final List<ShuffleDependency<?, ?, ?>> reads = new ArrayList<>();
    ShuffleDependency<?, ?, ?> writes;
    int tasks;
  }

  /** The plan of the job an action on {@code node} would run. */
  public static String explain(Node<?> node) {
    PlanExplainer planner = new PlanExplainer();
    Stage result = planner.stage(node, null);
    StringBuilder sb = new StringBuilder();
    int shuffles = planner.mapStages.size();
    sb.append("== Physical plan: ").append(planner.ordered.size()).append(planner.ordered.size() == 1 ? " stage, " : " stages, ")
        .append(shuffles).append(shuffles == 1 ? " shuffle" : " shuffles").append(" ==\n");
    for (Stage s : planner.ordered) {
      planner.append(sb, s, s == result);
    }
    return sb.toString();
  }

  private Stage stage(Node<?> top, ShuffleDependency<?, ?, ?> writes) {
    Stage s = new Stage();
    s.writes = writes;
    s.tasks = top.numPartitions();
    collect(top, s, new HashSet<>());
    s.number = ordered.size();
    ordered.add(s);
    return s;
  }

  /** Post-order over narrow dependencies: a node's inputs are listed before it. */
  private void collect(Node<?> node, Stage s, Set<Integer> seen) {
    if (!seen.add(node.id())) {
      return;
    }
    for (Dependency dep : node.dependencies()) {
      if (dep instanceof ShuffleDependency<?, ?, ?> shuffle) {
        if (!mapStages.containsKey(shuffle.shuffleId())) {
          mapStages.put(shuffle.shuffleId(), null); // reserve: a diamond must not plan it twice
          mapStages.put(shuffle.shuffleId(), stage(shuffle.parent(), shuffle));
        }
        s.reads.add(shuffle);
      } else {
        collect(dep.parent(), s, seen);
      }
    }
    s.pipeline.add(node);
  }

  private void append(StringBuilder sb, Stage s, boolean result) {
    sb.append("Stage ").append(s.number).append(": ").append(result ? "result stage" : "shuffle map stage")
        .append(", ").append(s.tasks).append(s.tasks == 1 ? " task\n" : " tasks\n");
    for (ShuffleDependency<?, ?, ?> read : s.reads) {
      Stage from = mapStages.get(read.shuffleId());
      sb.append("  <= reads shuffle ").append(read.shuffleId()).append(" (from stage ").append(from.number).append(")\n");
    }
    for (int i = 0; i < s.pipeline.size(); i++) {
      sb.append(i == 0 ? "  " : "  -> ").append(describe(s.pipeline.get(i))).append('\n');
    }
    if (s.writes != null) {
      ShuffleDependency<?, ?, ?> w = s.writes;
      sb.append("  => writes shuffle ").append(w.shuffleId()).append(": ").append(w.partitioner()).append(", ")
          .append(w.partitioner().numPartitions()).append(" partitions, map-side combine ")
          .append(w.mapSideCombine() ? "on" : "off")
          .append(w.aggregator() != null && !w.mapSideCombine() ? ", combined on the reduce side" : "")
          .append(w.keyOrdering() != null ? ", sorted by key" : "")
          .append(" (").append(w.operation()).append(")\n");
    }
  }

  /**
   * The operations one stage pipelines, inputs first, each as its node and what it does (e.g.
   * {@code MapPartitionsNode[3] flatMap}): the stage's boxes in the web UI's DAG. Stops at shuffle
   * dependencies (other stages); reads no file (cheap enough for the scheduler's thread).
   */
  public static List<String> stageOperations(Node<?> top) {
    Stage s = new Stage();
    new PlanExplainer().collectNarrow(top, s, new HashSet<>());
    List<String> ops = new ArrayList<>();
    for (Node<?> node : s.pipeline) {
      String op = node instanceof MapPartitionsNode<?, ?> m ? LambdaNames.enclosingMethod(m.transform())
          : node instanceof ShuffledNode<?, ?, ?> && node.dependencies().get(0) instanceof ShuffleDependency<?, ?, ?> d
              ? d.operation() : node instanceof CoGroupedNode<?> ? "cogroup" : null;
      ops.add(op == null ? node.toString() : node + " " + op);
    }
    return ops;
  }

  private void collectNarrow(Node<?> node, Stage s, Set<Integer> seen) {
    if (!seen.add(node.id())) {
      return;
    }
    for (Dependency dep : node.dependencies()) {
      if (!(dep instanceof ShuffleDependency<?, ?, ?>)) {
        collectNarrow(dep.parent(), s, seen);
      }
    }
    s.pipeline.add(node);
  }

  /** One operator: the node, what it does, how many partitions, whether it is cached; a join's strategy. */
  static String describe(Node<?> node) {
    StringBuilder sb = new StringBuilder(node.toString());
    String strategy = "";
    if (node instanceof MapPartitionsNode<?, ?> m) {
      String op = LambdaNames.enclosingMethod(m.transform());
      if (op != null) {
        sb.append(' ').append(op);
      }
    } else if (node instanceof ShuffledNode<?, ?, ?> && node.dependencies().get(0) instanceof ShuffleDependency<?, ?, ?> d) {
      sb.append(' ').append(d.operation());
    } else if (node instanceof CoGroupedNode<?>) {
      sb.append(" cogroup");
    } else if (node instanceof ShuffleJoinNode<?> j) {
      sb.append(' ').append(j.joinType().operation());
      strategy = " join strategy: shuffle join into " + j.partitioner()
          + ", each partition hash-joined (sort-merge if it spills); why: " + j.reason();
    } else if (node instanceof BroadcastHashJoinNode<?> b) {
      sb.append(' ').append(b.joinType().operation());
      strategy = " join strategy: broadcast hash join, " + (b.smallIsRight() ? "right" : "left")
          + " side broadcast, no shuffle; why: " + b.reason();
    }
    sb.append(" (").append(node.numPartitions()).append(node.numPartitions() == 1 ? " partition" : " partitions");
    if (node instanceof TextFileNode) {
      sb.append(", ").append(SizeEstimates.format(SizeEstimates.bytes(node))).append(" input");
    }
    if (node.storageLevel() != StorageLevel.NONE) {
      sb.append(", cached ").append(node.storageLevel());
    }
    return sb.append(')').append(strategy).toString();
  }
}
