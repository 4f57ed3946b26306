package io.weft.function;

import java.io.Serializable;
import java.util.Iterator;

/** Maps one element to zero or more, as used by {@code flatMap}. */
@FunctionalInterface
public interface FlatMapFn<T, R> extends Serializable {
  Iterator<R> call(T value) throws Exception;
}
