package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weft.it.yarn.AppStaging;
import io.weft.it.yarn.LaunchContexts;
import io.weft.it.yarn.TrivialApplicationMaster;
import io.weft.it.yarn.YarnApps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.NodeState;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * NodeManagers on distinct loopback hosts and racks, next to DataNodes on the same hosts: the
 * ground locality tests stand on. The RM must see each NodeManager under its own host and rack
 * (the same names HDFS gives block locations), and must still be able to launch containers on
 * them (it dials the NodeManager by that host name).
 */
class YarnHostsIT {
  private static final List<String> HOSTS = List.of("127.0.0.2", "127.0.0.3");

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder()
      .dataNodeHosts(HOSTS.toArray(new String[0])).racks("/r1", "/r2")
      .withYarnOnHosts(HOSTS.toArray(new String[0])).nodeManagerRacks("/r1", "/r2")
      .build();

  @TempDir Path tmp;

  @Test
  void nodeManagersReportTheirOwnHostsAndRacksAndRunContainers() throws Exception {
    YarnClient yarn = YarnClient.createYarnClient();
    yarn.init(CLUSTER.shippableConfiguration());
    yarn.start();
    try {
      Map<String, String> rackByHost = new TreeMap<>();
      for (NodeReport n : yarn.getNodeReports(NodeState.RUNNING)) {
        rackByHost.put(n.getNodeId().getHost(), n.getRackName());
      }
      assertEquals(Map.of("127.0.0.2", "/r1", "127.0.0.3", "/r2"), rackByHost);

      AppStaging staging = new AppStaging(CLUSTER.fileSystem(),
          new org.apache.hadoop.fs.Path("/user/weft-it/staging/hosts"), tmp.resolve("staging"));
      staging.addConf(CLUSTER.cluster()).addClassesJar("trivial-am.jar", TrivialApplicationMaster.class);
      for (Path jar : LaunchContexts.jarsOnClasspath(LaunchContexts.HADOOP_CLIENT_ARTIFACTS)) {
        staging.addJar(jar);
      }
      ApplicationId id = YarnApps.submit(yarn, "hosts-am",
          LaunchContexts.javaMain(staging.resources(), TrivialApplicationMaster.class.getName(), 128),
          Resource.newInstance(256, 1));
      ApplicationReport report = YarnApps.awaitFinalState(yarn, id, Duration.ofSeconds(90));
      assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus(), report.getDiagnostics());
    } finally {
      yarn.stop();
    }
  }
}
