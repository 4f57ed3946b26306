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
 * with {@code weft.yarn.inAm.mode=on}, tasks inside the AM's own JVM ({@link InAmBackend}). Found
 * by {@link java.util.ServiceLoader}.
 */
public final class YarnBackendFactory implements ClusterBackendFactory {
  @Override
  public boolean accepts(String master) {
    return master.equals("yarn");
  }

  @Override
  public ClusterBackend create(WeftConf conf, DriverEndpoint driver) {
    YarnAmServices services = YarnAmServices.current();
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
