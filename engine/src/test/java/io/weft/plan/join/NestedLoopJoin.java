package io.weft.plan.join;

import io.weft.Optional;
import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.JoinHint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The expected output of every join variant, computed by a plain nested loop over two lists, and
 * Weft's output rendered the same way: one {@code key|left|right} string per output pair, where
 * an empty {@link Optional} is {@code -}. Outer joins wrap present values with
 * {@code Optional.ofNullable}, so a present {@code null} renders as {@code -} there too.
 */
final class NestedLoopJoin {
  private NestedLoopJoin() {}

  /** Expected rows of {@code type}, sorted. */
  static List<String> expected(List<Pair<String, Integer>> left, List<Pair<String, String>> right, JoinType type) {
    boolean wrapLeft = type == JoinType.RIGHT_OUTER || type == JoinType.FULL_OUTER;
    boolean wrapRight = type == JoinType.LEFT_OUTER || type == JoinType.FULL_OUTER;
    List<String> out = new ArrayList<>();
    for (Pair<String, Integer> l : left) {
      boolean matched = false;
      for (Pair<String, String> r : right) {
        if (Objects.equals(l.key(), r.key())) {
          matched = true;
          out.add(l.key() + "|" + show(l.value(), wrapLeft) + "|" + show(r.value(), wrapRight));
        }
      }
      if (!matched && type.keepsLeft()) {
        out.add(l.key() + "|" + show(l.value(), wrapLeft) + "|-");
      }
    }
    if (type.keepsRight()) {
      for (Pair<String, String> r : right) {
        if (left.stream().noneMatch(l -> Objects.equals(l.key(), r.key()))) {
          out.add(r.key() + "|-|" + show(r.value(), wrapRight));
        }
      }
    }
    Collections.sort(out);
    return out;
  }

  private static String show(Object v, boolean wrapped) {
    return wrapped && v == null ? "-" : String.valueOf(v);
  }

  /** Weft's rows of {@code type} with {@code hint}, sorted. */
  static List<String> actual(PairDataset<String, Integer> l, PairDataset<String, String> r, JoinType type,
      JoinHint hint) {
    List<String> out = new ArrayList<>(switch (type) {
      case INNER -> l.join(r, hint).map(p -> p.key() + "|" + p.value().key() + "|" + p.value().value()).collect();
      case LEFT_OUTER -> l.leftOuterJoin(r, hint)
          .map(p -> p.key() + "|" + p.value().key() + "|" + opt(p.value().value())).collect();
      case RIGHT_OUTER -> l.rightOuterJoin(r, hint)
          .map(p -> p.key() + "|" + opt(p.value().key()) + "|" + p.value().value()).collect();
      case FULL_OUTER -> l.fullOuterJoin(r)
          .map(p -> p.key() + "|" + opt(p.value().key()) + "|" + opt(p.value().value())).collect();
    });
    Collections.sort(out);
    return out;
  }

  static String opt(Optional<?> o) {
    return o.isPresent() ? String.valueOf(o.get()) : "-";
  }

  /**
   * Keys from a pool that includes strings of equal hash code ({@code Aa}, {@code BB},
   * {@code AaAa}...), so grouping must go by {@code equals}; some values are null; some keys are
   * on one side only.
   */
  static List<Pair<String, Integer>> left(int n, long seed) {
    Random r = new Random(seed);
    List<Pair<String, Integer>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Pair.of(key(r, 0), i % 97 == 0 ? null : i));
    }
    return out;
  }

  static List<Pair<String, String>> right(int n, long seed) {
    Random r = new Random(seed);
    List<Pair<String, String>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Pair.of(key(r, 150), i % 89 == 0 ? null : "r" + i));
    }
    return out;
  }

  private static final String[] COLLIDING = {"Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa"};

  private static String key(Random r, int offset) {
    return r.nextInt(10) == 0 ? COLLIDING[r.nextInt(COLLIDING.length)] : "k" + (offset + r.nextInt(400));
  }
}
