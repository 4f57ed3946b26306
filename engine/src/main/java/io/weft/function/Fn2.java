package io.weft.function;

import java.io.Serializable;

/** A two-argument function, as used by {@code reduce}, {@code reduceByKey} and {@code fold}. */
@FunctionalInterface
public interface Fn2<A, B, R> extends Serializable {
  R call(A first, B second) throws Exception;
}
