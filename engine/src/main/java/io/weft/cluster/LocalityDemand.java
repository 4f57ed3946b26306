package io.weft.cluster;

import java.util.Map;

/**
 * Where the scheduler's waiting tasks would like to run, as the task scheduler tells a backend
 * ({@link ClusterBackend#localityDemandChanged}): how many tasks of the active task sets wait,
 * how many of those prefer some host, and for each host how many of them would run there
 * NODE_LOCAL (a task naming three replica hosts counts once for each). Spark's allocator gets the
 * same figures ({@code numLocalityAwareTasks}, {@code hostToLocalTaskCount}).
 *
 * @param pendingTasks tasks waiting in the active task sets, with or without a preference
 * @param localityAwareTasks how many of them prefer at least one host
 * @param tasksPerHost for each host, how many waiting tasks prefer it; unmodifiable
 */
public record LocalityDemand(int pendingTasks, int localityAwareTasks, Map<String, Integer> tasksPerHost) {
  public static final LocalityDemand NONE = new LocalityDemand(0, 0, Map.of());

  public LocalityDemand {
    tasksPerHost = Map.copyOf(tasksPerHost);
  }
}
