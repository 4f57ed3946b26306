package io.weft.cluster;

import io.weft.WeftConf;
import io.weft.executor.DriverEndpoint;

/**
 * Creates the backend for a master URL. Implementations are found with {@link java.util.ServiceLoader}
 * (META-INF/services/io.weft.cluster.ClusterBackendFactory): the engine ships {@code local[N]},
 * the yarn-am module adds {@code yarn}. A program host that runs the application's main in its
 * own JVM (the YARN ApplicationMaster) binds a factory constructed with what it needs instead
 * ({@link HostedBackend}); it comes first.
 */
public interface ClusterBackendFactory {
  /** Whether this factory handles {@code master} (e.g. "local[4]", "yarn"). */
  boolean accepts(String master);

  /**
   * A backend for {@code conf}. {@code driver} answers executors' requests (commit permission,
   * broadcast values); the backend exposes it to its executors however it connects to them.
   */
  ClusterBackend create(WeftConf conf, DriverEndpoint driver);
}
