package io.weft.cluster.remote;

/**
 * Obtains and releases executor processes for a {@link RemoteExecutorsBackend}: YARN containers
 * (module yarn-am), or JVMs on this machine (local-cluster mode). The provisioner only starts
 * and stops processes; executors register themselves with the driver over the network.
 *
 * <p>A provisioner replaces executors that end while the application runs, within a failure
 * budget; once no process is left running or starting and it will start no more, it says so
 * ({@link Listener#executorsExhausted}), so jobs fail instead of waiting for executors that will
 * never come.
 *
 * <p>Threading: {@link #start} and {@link #stop} are called on the thread that starts and stops
 * the context, {@link #kill} on the scheduler's thread (it must not block); implementations call
 * the listener from any thread.
 */
public interface ExecutorProvisioner {
  /** What a provisioner reports about its processes. */
  interface Listener {
    /** Executor {@code executorId}'s process ended while the application ran (the reason classified if possible). */
    void executorLost(String executorId, String reason);

    /**
     * No executor process is running or starting and none will be started again; called after
     * the {@link #executorLost} of the last one.
     */
    void executorsExhausted(String reason);
  }

  /**
   * Starts {@link #executorCount()} executors that connect to the driver at
   * {@code driverHost:driverPort}, and reports on them to {@code listener}.
   */
  void start(String driverHost, int driverPort, Listener listener);

  /**
   * Whether executor {@code executorId}, asking to register from the process the cluster manager
   * calls {@code resourceId} (null if the executor did not say), is one this provisioner started
   * or adopted; called on a network thread, must not block. An executor of an earlier
   * ApplicationMaster attempt that reconnects is accepted when its process was handed back to
   * this attempt (YARN: its container is among those kept across attempts); the provisioner then
   * manages it as its own. By default every executor is accepted.
   */
  default boolean accepts(String executorId, String resourceId) {
    return true;
  }

  /** How many executors the application asked for. */
  int executorCount();

  /** Task slots of each executor. */
  int coresPerExecutor();

  /**
   * Ends executor {@code executorId}'s process (the driver gave up on it: it stopped
   * heartbeating) and frees its resources; its end is then reported like any other. Must not
   * block.
   */
  void kill(String executorId);

  /**
   * Start no executor on {@code hosts} from now on (the scheduler excluded them after repeated
   * failures); the full set each time, empty when every exclusion ended. Provisioners that cannot
   * choose hosts ignore it. Called on the scheduler's event thread: must not block.
   */
  default void excludeHosts(java.util.Set<String> hosts) {}

  /**
   * The share of {@link #executorCount()} executors the driver waits for before it schedules,
   * when {@code weft.scheduler.minRegisteredResourcesRatio} is not set: all of them by default
   * (they are started on this machine); a cluster manager that may not have room for every
   * executor at once returns less.
   */
  default double defaultMinRegisteredRatio() {
    return 1.0;
  }

  /**
   * Where the hosts this provisioner starts executors on sit in the network
   * ({@link io.weft.cluster.ClusterBackend#rackResolver}); none by default. The same object on
   * every call.
   */
  default io.weft.cluster.RackResolver rackResolver() {
    return io.weft.cluster.RackResolver.NONE;
  }

  /**
   * What the scheduler's waiting tasks would like ({@link io.weft.cluster.ClusterBackend#localityDemandChanged}):
   * a provisioner that can choose where its processes run may ask for them there. Called on the
   * scheduler's event thread: must not block. Ignored by default.
   */
  default void localityDemandChanged(io.weft.cluster.LocalityDemand demand) {}

  /**
   * Stops every executor still running (they were already asked to stop over the network) and
   * waits, bounded, until their processes are gone.
   */
  void stop();
}
