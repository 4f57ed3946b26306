package io.weft.plan;

import io.weft.function.Fn;
import io.weft.function.Fn2;
import java.io.Serializable;

/**
 * How a shuffle combines the values of one key: the first value becomes a combiner, later
 * values merge into it, and combiners built on different map tasks (or spilled runs) merge
 * with each other. {@code reduceByKey(f)} is the case C = V, create = identity, both merges = f.
 */
public record Aggregator<K, V, C>(
    Fn<V, C> createCombiner, Fn2<C, V, C> mergeValue, Fn2<C, C, C> mergeCombiners)
    implements Serializable {

  /** Collects a key's values into one list: groupByKey, and the build side of a shuffle join. */
  public static <K, V> Aggregator<K, V, java.util.ArrayList<V>> grouping() {
    return new Aggregator<>(
        v -> {
          java.util.ArrayList<V> l = new java.util.ArrayList<>();
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
}
