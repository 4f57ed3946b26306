package io.weft.diagnosis;

import io.weft.scheduler.task.TaskLocality;
import java.util.Set;

/**
 * What the diagnosis keeps of one successful task: where it ran, how long, what it read, and
 * where its time went.
 *
 * @param inputRecords records read from the stage's input and shuffles together
 */
public record TaskSample(int partition, String executorId, String host, long durationMs, long inputRecords,
    long gcMs, long fetchWaitMs, long spillBytes, long spillCount, TaskLocality locality, Set<Integer> shufflesRead) {}
