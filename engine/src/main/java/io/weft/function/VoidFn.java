package io.weft.function;

import java.io.Serializable;

/** A side effect on one element, as used by {@code foreach}. */
@FunctionalInterface
public interface VoidFn<T> extends Serializable {
  void call(T value) throws Exception;
}
