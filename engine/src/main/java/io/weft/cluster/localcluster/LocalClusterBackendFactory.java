package io.weft.cluster.localcluster;

import io.weft.WeftConf;
import io.weft.cluster.ClusterBackend;
import io.weft.cluster.ClusterBackendFactory;
import io.weft.cluster.remote.RemoteExecutorsBackend;
import io.weft.executor.DriverEndpoint;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code local-cluster[N,C]} or {@code local-cluster[N,C,M]}: N executor JVMs on this machine with
 * C task slots and M MiB of heap each (default 1024), talking to the driver over the same
 * authenticated network transport, block server and fetcher as on YARN. It is how tests exercise
 * the distributed paths (shuffle between processes, lost executors) without a cluster manager.
 */
public final class LocalClusterBackendFactory implements ClusterBackendFactory {
  private static final Pattern MASTER = Pattern.compile("local-cluster\\[(\\d+),\\s*(\\d+)(?:,\\s*(\\d+))?\\]");

  @Override
  public boolean accepts(String master) {
    return MASTER.matcher(master).matches();
  }

  @Override
  public ClusterBackend create(WeftConf conf, DriverEndpoint driver) {
    Matcher m = MASTER.matcher(conf.master());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a local-cluster master: " + conf.master());
    }
    int executors = Integer.parseInt(m.group(1));
    int cores = Integer.parseInt(m.group(2));
    int memoryMb = m.group(3) == null ? 1024 : Integer.parseInt(m.group(3));
    if (executors < 1 || cores < 1 || memoryMb < 64) {
      throw new IllegalArgumentException("weft.master " + conf.master()
          + " needs at least 1 executor, 1 core and 64 MiB each");
    }
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    ProcessProvisioner provisioner = new ProcessProvisioner(conf, executors, cores, memoryMb, secret);
    return new RemoteExecutorsBackend(conf, driver, secret, "127.0.0.1", "127.0.0.1", provisioner);
  }
}
