package io.weft.function;

import java.io.Serializable;

/** A one-argument function, as used by {@code map} and {@code mapValues}. */
@FunctionalInterface
public interface Fn<T, R> extends Serializable {
  R call(T value) throws Exception;
}
