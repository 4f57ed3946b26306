package io.weft.function;

import java.io.Serializable;
import java.util.Iterator;

/** A side effect on a whole partition, as used by {@code foreachPartition}. */
@FunctionalInterface
public interface VoidPartitionFn<T> extends Serializable {
  void call(Iterator<T> partition) throws Exception;
}
