package io.weft.yarn.am;

import io.weft.WeftConf;
import io.weft.cluster.ClusterBackend;
import io.weft.cluster.ClusterBackendFactory;
import io.weft.cluster.remote.ExecutorProvisioner;
import io.weft.cluster.remote.RemoteExecutorsBackend;
import io.weft.executor.DriverEndpoint;
import io.weft.yarn.YarnOptions;
import java.util.List;

/**
 * {@code weft.master=yarn}: executors in YARN containers, obtained through the running
 * ApplicationMaster's clients ({@link YarnAmServices}); or, when the application was submitted
 * with {@code weft.yarn.inAm.mode=on}, tasks inside the AM's own JVM ({@link InAmBackend}).
 *
 * <p>The ApplicationMaster constructs it with its services and binds it for the run of the
 * user's main ({@link io.weft.cluster.HostedBackend}, by {@link DriverRunner}); it
 * {@link #retire retires} it before it unregisters, so no context created later uses the clients
 * it stops. The instance {@link java.util.ServiceLoader} makes (no services) stands for
 * {@code yarn} outside an ApplicationMaster and fails with a message saying how to submit.
 *
 * <p>Threading: {@link #create} on the thread creating a context; {@link #retire} on any thread.
 */
public final class YarnBackendFactory implements ClusterBackendFactory {
  private final YarnAmServices services;
  private volatile boolean retired;

  /** For {@link java.util.ServiceLoader}: {@code weft.master=yarn} outside an ApplicationMaster. */
  public YarnBackendFactory() {
    this(null);
  }

  /** The running ApplicationMaster's factory: its backends use {@code services}. */
  YarnBackendFactory(YarnAmServices services) {
    this.services = services;
  }

  @Override
  public boolean accepts(String master) {
    return master.equals("yarn");
  }

  /** From now on {@link #create} fails: the ApplicationMaster is ending and stops its clients. */
  void retire() {
    retired = true;
  }

  /** What backends of this factory use; null outside an ApplicationMaster. */
  YarnAmServices services() {
    return services;
  }

  @Override
  public ClusterBackend create(WeftConf conf, DriverEndpoint driver) {
    if (services == null) {
      throw new IllegalStateException("No YARN ApplicationMaster is running in this JVM: "
          + "weft.master=yarn applications must be submitted with weft submit --master yarn");
    }
    if (retired) {
      throw new IllegalStateException("The YARN ApplicationMaster of " + services.attemptId()
          + " has ended: no context can start on its clients any more");
    }
    // the submitted settings decide, not the driver's: the AM container was sized, and executors
    // were (or were not) asked for, by what was submitted
    if (YarnOptions.runsInAm(services.weftConf())) {
      return new InAmBackend(conf, driver, services.statusListener());
    }
    // the AM asked for the containers at registration, while main started: adopt its requests
    ExecutorProvisioner provisioner = services.takeEarlyProvisioner(conf)
        .orElseGet(() -> new YarnContainerProvisioner(services, conf));
    RemoteExecutorsBackend backend = new RemoteExecutorsBackend(conf, driver, services.secret(), "0.0.0.0",
        YarnContainerProvisioner.containerHost(), provisioner, List.of(services.statusListener()));
    services.addYarnEventListener(new YarnEventListener() {
      @Override
      public void credentialsRefreshed(byte[] tokenStorage) {
        backend.updateCredentials(tokenStorage); // running executors; new ones get them at launch
      }
    });
    return backend;
  }
}
