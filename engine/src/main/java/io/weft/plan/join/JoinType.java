package io.weft.plan.join;

import io.weft.Optional;
import io.weft.Pair;

/**
 * The four joins of {@code PairDataset}, and the value each emits for a key's (left, right)
 * pair. A side that has no match is passed as {@code null}: the outer joins wrap each side they
 * may miss in an {@link Optional} made by {@code ofNullable}, so a missing value and a present
 * {@code null} both read as empty, exactly as the earlier cogroup-based joins had it.
 */
public enum JoinType {
  /** {@code Pair<V, W>}; keys on both sides only. */
  INNER("join", false, false),
  /** {@code Pair<V, Optional<W>>}; every left record. */
  LEFT_OUTER("leftOuterJoin", true, false),
  /** {@code Pair<Optional<V>, W>}; every right record. */
  RIGHT_OUTER("rightOuterJoin", false, true),
  /** {@code Pair<Optional<V>, Optional<W>>}; every record of both sides. */
  FULL_OUTER("fullOuterJoin", true, true);

  private final String operation;
  private final boolean keepsLeft;
  private final boolean keepsRight;

  JoinType(String operation, boolean keepsLeft, boolean keepsRight) {
    this.operation = operation;
    this.keepsLeft = keepsLeft;
    this.keepsRight = keepsRight;
  }

  /** The user-facing operation's name ({@code leftOuterJoin}), for errors and explain(). */
  public String operation() {
    return operation;
  }

  /** Whether left records without a match are emitted (with an empty right side). */
  public boolean keepsLeft() {
    return keepsLeft;
  }

  /** Whether right records without a match are emitted (with an empty left side). */
  public boolean keepsRight() {
    return keepsRight;
  }

  /** Whether the left side may be the broadcast one: only if its unmatched records are dropped. */
  public boolean canBroadcastLeft() {
    return !keepsLeft;
  }

  /** Whether the right side may be the broadcast one: only if its unmatched records are dropped. */
  public boolean canBroadcastRight() {
    return !keepsRight;
  }

  /** The output value for a left value and a right value, either null when unmatched. */
  public Object value(Object left, Object right) {
    return switch (this) {
      case INNER -> new Pair<>(left, right);
      case LEFT_OUTER -> new Pair<>(left, Optional.ofNullable(right));
      case RIGHT_OUTER -> new Pair<>(Optional.ofNullable(left), right);
      case FULL_OUTER -> new Pair<>(Optional.ofNullable(left), Optional.ofNullable(right));
    };
  }
}
