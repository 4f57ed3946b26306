package io.weft.testing;

import io.weft.cluster.ClusterBackend;
import io.weft.cluster.RackResolver;
import io.weft.cluster.SchedulerCallbacks;
import io.weft.scheduler.TaskDescription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A backend that runs nothing: it records which tasks the scheduler launched where, so a test can
 * decide how each one ends.
 */
public final class FakeClusterBackend implements ClusterBackend {
  public final Map<Long, TaskDescription> launched = new LinkedHashMap<>();
  public final Map<Long, String> launchedOn = new LinkedHashMap<>();
  public final List<Long> killed = new ArrayList<>();
  public final List<Integer> removedShuffles = new ArrayList<>();
  /** Executors the scheduler asked to kill (it gave up on their heartbeats). */
  public final List<String> killedExecutors = new ArrayList<>();
  /** Whether executors "heartbeat" (the scheduler then times them out); tests set it before the harness starts. */
  public boolean heartbeats = true;
  /** The racks the scheduler sees; tests set it before the harness starts. */
  public RackResolver racks = RackResolver.NONE;
  /** When set, {@link #launchTask} throws it: a backend bug inside the scheduler's thread. */
  public RuntimeException launchError;

  @Override
  public void start(SchedulerCallbacks callbacks) {}

  @Override
  public void launchTask(String executorId, TaskDescription task) {
    if (launchError != null) {
      throw launchError;
    }
    launched.put(task.taskId(), task);
    launchedOn.put(task.taskId(), executorId);
  }

  @Override
  public void killTask(String executorId, long taskId, String reason) {
    killed.add(taskId);
  }

  @Override
  public boolean executorsHeartbeat() {
    return heartbeats;
  }

  @Override
  public void killExecutor(String executorId, String reason) {
    killedExecutors.add(executorId);
  }

  @Override
  public void removeShuffle(int shuffleId) {
    removedShuffles.add(shuffleId);
  }

  @Override
  public void removeCachedNode(int nodeId) {}

  /** Every locality demand the scheduler reported, in order. */
  public final List<io.weft.cluster.LocalityDemand> demands = new ArrayList<>();

  @Override
  public void localityDemandChanged(io.weft.cluster.LocalityDemand demand) {
    demands.add(demand);
  }

  /** Every host list the scheduler sent (weft.excludeOnFailure), in order. */
  public final List<java.util.Set<String>> excludedHostUpdates = new ArrayList<>();

  @Override
  public void excludedHostsChanged(java.util.Set<String> hosts) {
    excludedHostUpdates.add(hosts);
  }

  @Override
  public RackResolver rackResolver() {
    return racks;
  }

  @Override
  public int defaultParallelism() {
    return 2;
  }

  @Override
  public void stop() {}
}
