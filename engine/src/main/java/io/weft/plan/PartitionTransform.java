package io.weft.plan;

import io.weft.TaskContext;
import java.io.Serializable;
import java.util.Iterator;

/** The engine's form of every per-partition function: map, filter, flatMap and their kin. */
@FunctionalInterface
public interface PartitionTransform<T, R> extends Serializable {
  Iterator<R> apply(TaskContext task, int partition, Iterator<T> input) throws Exception;
}
