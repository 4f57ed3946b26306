package io.weft.yarn.am;

import io.weft.WeftConf;
import io.weft.cluster.ClusterBackend;
import io.weft.cluster.ClusterBackendFactory;
import io.weft.cluster.remote.ExecutorProvisioner;
import io.weft.cluster.remote.RemoteExecutorsBackend;
import io.weft.executor.DriverEndpoint;
import java.util.List;

/**
 * {@code weft.master=yarn}: executors in YARN containers, obtained through the running
 * ApplicationMaster's clients ({@link YarnAmServices}). Found by {@link java.util.ServiceLoader}.
 */
public final class YarnBackendFactory implements ClusterBackendFactory {
  @Override
  public boolean accepts(String master) {
    return master.equals("yarn");
  }

  @Override
  public ClusterBackend create(WeftConf conf, DriverEndpoint driver) {
    YarnAmServices services = YarnAmServices.current();
    // the AM asked for the containers at registration, while main started: adopt its requests
    ExecutorProvisioner provisioner = services.takeEarlyProvisioner(conf)
        .orElseGet(() -> new YarnContainerProvisioner(services, conf));
    return new RemoteExecutorsBackend(conf, driver, services.secret(), "0.0.0.0",
        YarnContainerProvisioner.containerHost(), provisioner, List.of(services.statusListener()));
  }
}
