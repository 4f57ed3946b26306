package io.weft.cluster.remote;

/**
 * Obtains and releases executor processes for a {@link RemoteExecutorsBackend}: YARN containers
 * (module yarn-am), or JVMs on this machine (local-cluster mode). The provisioner only starts
 * and stops processes; executors register themselves with the driver over the network.
 *
 * <p>Threading: {@link #start} and {@link #stop} are called on the thread that starts and stops
 * the context; implementations report lost processes through the callback from any thread.
 */
public interface ExecutorProvisioner {
  /**
   * Starts {@link #executorCount()} executors that connect to the driver at
   * {@code driverHost:driverPort}. {@code lost} is called with an executor id and a reason when
   * one of them ends while the application runs (its exit status classified if possible).
   */
  void start(String driverHost, int driverPort, java.util.function.BiConsumer<String, String> lost);

  /** How many executors the application asked for. */
  int executorCount();

  /** Task slots of each executor. */
  int coresPerExecutor();

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
   * Stops every executor still running (they were already asked to stop over the network) and
   * waits, bounded, until their processes are gone.
   */
  void stop();
}
