package io.weft.function;

import java.io.Serializable;

/** A test on one element, as used by {@code filter}. */
@FunctionalInterface
public interface PredicateFn<T> extends Serializable {
  boolean test(T value) throws Exception;
}
