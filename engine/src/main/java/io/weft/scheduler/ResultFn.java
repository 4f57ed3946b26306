package io.weft.scheduler;

import io.weft.TaskContext;
import java.io.Serializable;
import java.util.Iterator;

/**
 * What a result task does with its partition: {@code collect} copies it into a list,
 * {@code count} counts it, {@code saveAsTextFile} writes and commits it. The returned value is
 * serialized back to the driver.
 */
@FunctionalInterface
public interface ResultFn<T, U> extends Serializable {
  U apply(TaskContext task, Iterator<T> partition) throws Exception;
}
