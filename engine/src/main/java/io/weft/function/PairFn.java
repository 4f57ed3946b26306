package io.weft.function;

import io.weft.Pair;
import java.io.Serializable;

/** Maps one element to a key-value pair, as used by {@code mapToPair}. */
@FunctionalInterface
public interface PairFn<T, K, V> extends Serializable {
  Pair<K, V> call(T value) throws Exception;
}
