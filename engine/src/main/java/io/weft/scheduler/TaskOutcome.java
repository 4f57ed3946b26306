package io.weft.scheduler;

import io.weft.executor.TaskMetrics;
import io.weft.storage.BlockId;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** How a task attempt ended, as its executor reports it. */
public sealed interface TaskOutcome extends Serializable {
  TaskMetrics metrics();

  /**
   * The task succeeded. {@code value} is the serialized result: a {@link MapStatus} for a shuffle
   * map task, the result function's value for a result task. {@code accumulatorUpdates} maps
   * accumulator ids to this attempt's increments; {@code cachedBlocks} lists the partitions the
   * task stored in its executor's block store.
   */
  record Success(byte[] value, TaskMetrics metrics, Map<Long, Long> accumulatorUpdates,
      List<BlockId> cachedBlocks) implements TaskOutcome {}

  /** The task failed; increments of its accumulators are dropped. */
  record Failure(TaskEndReason reason, TaskMetrics metrics) implements TaskOutcome {}
}
