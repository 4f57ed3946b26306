package io.weft.function;

import java.io.Serializable;
import java.util.Iterator;

/** Maps a whole partition, as used by {@code mapPartitions}. */
@FunctionalInterface
public interface PartitionFn<T, R> extends Serializable {
  Iterator<R> call(Iterator<T> partition) throws Exception;
}
