package io.weft.plan.join;

import io.weft.Broadcast;
import io.weft.JoinHint;
import io.weft.Pair;
import io.weft.Partitioner;
import io.weft.WeftContext;
import io.weft.config.JoinOptions;
import io.weft.plan.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses how a join runs — a {@link BroadcastHashJoinNode} or a {@link ShuffleJoinNode} — and
 * records why, for {@code explain()} and the log.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>hint {@link JoinHint#SHUFFLE}: shuffle;
 *   <li>a join that keeps both sides' unmatched records (full outer) cannot broadcast: shuffle;
 *   <li>hint {@link JoinHint#BROADCAST}: broadcast a side that may be (inner: the smaller by
 *       estimate, else the right; left outer: the right; right outer: the left);
 *   <li>a partitioner or partition count given by the caller: shuffle, so the result is
 *       partitioned as asked;
 *   <li>both sides already partitioned by the join's partitioner: shuffle join, which then reads
 *       both in place with no shuffle at all;
 *   <li>a side that may be broadcast with an estimated size ({@link SizeEstimates}) of at most
 *       {@code weft.join.broadcastThreshold} (not -1): broadcast the smallest such side;
 *   <li>otherwise shuffle.
 * </ol>
 * Broadcasting runs a job at once, while the join is being defined, to collect the small side to
 * the driver (as {@code sortByKey} samples its input when defined).
 *
 * <p>Driver only.
 */
public final class JoinPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(JoinPlanner.class);

  private JoinPlanner() {}

  /**
   * The join of {@code left} and {@code right}.
   *
   * @param partitioner the shuffle join's partitioner
   * @param partitionerGiven whether the caller chose it (then only a hint broadcasts)
   */
  public static <K> Node<Pair<K, Object>> plan(Node<? extends Pair<K, ?>> left, Node<? extends Pair<K, ?>> right,
      JoinType type, JoinHint hint, Partitioner partitioner, boolean partitionerGiven) {
    WeftContext context = left.context();
    String op = type.operation();
    if (hint == JoinHint.SHUFFLE) {
      return shuffle(left, right, type, partitioner, "hint SHUFFLE");
    }
    if (!type.canBroadcastLeft() && !type.canBroadcastRight()) {
      return shuffle(left, right, type, partitioner, op + " keeps the unmatched records of both sides, so neither "
          + "can be broadcast" + (hint == JoinHint.BROADCAST ? " (hint BROADCAST not followed)" : ""));
    }
    long leftBytes = type.canBroadcastLeft() ? SizeEstimates.bytes(left) : SizeEstimates.UNKNOWN;
    long rightBytes = type.canBroadcastRight() ? SizeEstimates.bytes(right) : SizeEstimates.UNKNOWN;
    String sizes = sizes(type, leftBytes, rightBytes);
    if (hint == JoinHint.BROADCAST) {
      boolean smallIsRight = !type.canBroadcastLeft() || (type.canBroadcastRight()
          && !(leftBytes != SizeEstimates.UNKNOWN && rightBytes != SizeEstimates.UNKNOWN && leftBytes < rightBytes));
      return broadcast(left, right, type, smallIsRight, "hint BROADCAST; " + sizes);
    }
    if (partitionerGiven) {
      return shuffle(left, right, type, partitioner, "the caller gave the partitioning (" + partitioner + "); " + sizes);
    }
    if (partitioner.equals(left.partitioner()) && partitioner.equals(right.partitioner())) {
      return shuffle(left, right, type, partitioner, "both sides are already partitioned by " + partitioner
          + ", so the shuffle join reads them in place");
    }
    long threshold = context.conf().get(JoinOptions.BROADCAST_THRESHOLD);
    if (threshold < 0) {
      return shuffle(left, right, type, partitioner, JoinOptions.BROADCAST_THRESHOLD.key() + " is -1; " + sizes);
    }
    boolean leftFits = leftBytes != SizeEstimates.UNKNOWN && leftBytes <= threshold;
    boolean rightFits = rightBytes != SizeEstimates.UNKNOWN && rightBytes <= threshold;
    String against = sizes + ", " + JoinOptions.BROADCAST_THRESHOLD.key() + " " + SizeEstimates.format(threshold);
    if (rightFits && (!leftFits || rightBytes <= leftBytes)) {
      return broadcast(left, right, type, true, "right side " + SizeEstimates.format(rightBytes) + " <= threshold; " + against);
    }
    if (leftFits) {
      return broadcast(left, right, type, false, "left side " + SizeEstimates.format(leftBytes) + " <= threshold; " + against);
    }
    return shuffle(left, right, type, partitioner, "no side that may be broadcast is under the threshold; " + against);
  }

  private static String sizes(JoinType type, long leftBytes, long rightBytes) {
    return "estimated left " + (type.canBroadcastLeft() ? SizeEstimates.format(leftBytes) : "(must be kept: "
        + type.operation() + ")") + ", right " + (type.canBroadcastRight() ? SizeEstimates.format(rightBytes)
        : "(must be kept: " + type.operation() + ")");
  }

  private static <K> Node<Pair<K, Object>> shuffle(Node<? extends Pair<K, ?>> left, Node<? extends Pair<K, ?>> right,
      JoinType type, Partitioner partitioner, String reason) {
    LOG.info("{}: shuffle join into {} ({})", type.operation(), partitioner, reason);
    return new ShuffleJoinNode<>(left, right, partitioner, left.context().serializer(), type, reason);
  }

  private static <K> Node<Pair<K, Object>> broadcast(Node<? extends Pair<K, ?>> left, Node<? extends Pair<K, ?>> right,
      JoinType type, boolean smallIsRight, String reason) {
    Node<? extends Pair<K, ?>> small = smallIsRight ? right : left;
    Node<? extends Pair<K, ?>> big = smallIsRight ? left : right;
    WeftContext context = left.context();
    List<ArrayList<Pair<?, ?>>> parts = context.runJob(small, (task, it) -> {
      ArrayList<Pair<?, ?>> out = new ArrayList<>();
      it.forEachRemaining(out::add);
      return out;
    });
    List<Pair<?, ?>> records = new ArrayList<>();
    parts.forEach(records::addAll);
    Broadcast<HashMap<Object, List<Object>>> table = context.broadcast(BroadcastHashJoinNode.buildTable(records));
    String why = reason + "; collected " + records.size() + " records of the " + (smallIsRight ? "right" : "left") + " side";
    LOG.info("{}: broadcast hash join ({})", type.operation(), why);
    return new BroadcastHashJoinNode<>(big, table, smallIsRight, type, why);
  }
}
