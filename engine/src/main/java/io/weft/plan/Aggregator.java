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
    implements Serializable {}
