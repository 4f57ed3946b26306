package io.weft.cluster;

import io.weft.scheduler.TaskDescription;

/**
 * Where tasks run: the seam between the scheduler and a cluster manager. The local backend runs
 * task slots in the driver's JVM; the YARN backend (module yarn-am) asks the ResourceManager for
 * containers and talks to executors over the network. The scheduler never sees which.
 *
 * <p>Lifecycle: {@link #start} once, then any number of {@link #launchTask} calls, then
 * {@link #stop} once. The backend reports executors and task ends through the
 * {@link SchedulerCallbacks} it was started with.
 */
public interface ClusterBackend {
  /**
   * Starts the backend. Called once, on the thread that creates the context, before any job.
   * May block while it acquires its first executors (bounded by its own timeout).
   */
  void start(SchedulerCallbacks callbacks);

  /**
   * Sends {@code task} to executor {@code executorId}, which the scheduler knows has a free slot.
   * Called on the scheduler's event thread: must not block (queue the work and return).
   */
  void launchTask(String executorId, TaskDescription task);

  /**
   * Asks the executor to interrupt a running task (its job was cancelled or failed). Best effort;
   * the task still reports its end. Called on the scheduler's event thread: must not block.
   */
  void killTask(String executorId, long taskId, String reason);

  /**
   * Tells every executor to delete the files of shuffle {@code shuffleId}. Called on the
   * scheduler's event thread: must not block.
   */
  void removeShuffle(int shuffleId);

  /**
   * Tells every executor to drop its cached partitions of node {@code nodeId} (unpersist).
   * Called on the scheduler's event thread: must not block.
   */
  void removeCachedNode(int nodeId);

  /**
   * As {@link #removeCachedNode}, and the future completes once every executor connected now
   * confirmed its blocks are gone ({@code Dataset.unpersist(true)}); it fails if one could not
   * be asked. Called on the scheduler's event thread: must not block. The default confirms at
   * once, right for backends whose removal is done when {@code removeCachedNode} returns.
   */
  default java.util.concurrent.CompletableFuture<Void> removeCachedNodeConfirmed(int nodeId) {
    removeCachedNode(nodeId);
    return java.util.concurrent.CompletableFuture.completedFuture(null);
  }

  /**
   * Tells every executor to drop its copy of broadcast {@code broadcastId}; the future completes
   * once each connected executor confirmed. Called on the scheduler's event thread: must not
   * block. The default does nothing (a backend without executors of its own).
   */
  default java.util.concurrent.CompletableFuture<Void> removeBroadcast(long broadcastId) {
    return java.util.concurrent.CompletableFuture.completedFuture(null);
  }

  /**
   * Listeners this backend wants on the context's listener bus (the YARN backend's progress
   * reporting and status page); none by default. Read once, when the context starts.
   */
  default java.util.List<io.weft.status.WeftListener> listeners() {
    return java.util.List.of();
  }

  /**
   * Whether this backend's executors report heartbeats through
   * {@link SchedulerCallbacks#executorHeartbeat}. If so, the scheduler declares lost an executor
   * silent for longer than {@code weft.executor.heartbeatTimeout} (a hung JVM whose connection
   * stays open) and asks the backend to {@link #killExecutor kill} it. Read once, at start.
   */
  default boolean executorsHeartbeat() {
    return false;
  }

  /**
   * The scheduler gave up on executor {@code executorId} (it stopped heartbeating) and already
   * treats it as lost: end its process and release its resources (on YARN, its container),
   * without reporting it lost again. Called on the scheduler's event thread: must not block.
   * Backends whose executors do not heartbeat are never asked.
   */
  default void killExecutor(String executorId, String reason) {}

  /**
   * The scheduler now excludes {@code hosts} (weft.excludeOnFailure): no new executor should be
   * started there (on YARN: the ResourceManager's exclusion list). The full set each time; an
   * empty one ends every exclusion. Called on the scheduler's event thread: must not block.
   */
  default void excludedHostsChanged(java.util.Set<String> hosts) {}

  /**
   * Where hosts sit in the network, for RACK_LOCAL scheduling; {@link RackResolver#NONE} (no
   * racks) by default. The same object on every call: the scheduler reads it when it is created,
   * the context on each job (to resolve the input's hosts ahead, {@link RackResolver#prefetch}).
   */
  default RackResolver rackResolver() {
    return RackResolver.NONE;
  }

  /**
   * Where the waiting tasks would like to run changed: a task set was submitted or finished.
   * A backend that chooses where executors start (YARN's container requests) may follow it;
   * ignored by default. Called on the scheduler's event thread: must not block (hand it to the
   * backend's own thread).
   */
  default void localityDemandChanged(LocalityDemand demand) {}

  /** Partitions to use when the user gives none: the total number of task slots. */
  int defaultParallelism();

  /**
   * Stops every executor and frees their resources. Called once, on the thread that closes the
   * context, after the scheduler stopped; may block until executors are gone.
   */
  void stop();
}
