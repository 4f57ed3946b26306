package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.junit.jupiter.api.Test;

/** A missing or unreachable cluster is one clear error, in bounded time, not minutes of silence. */
class ClusterConnectionTest {
  @Test
  void noConfiguredResourceManagerIsAnErrorNamingTheSettingAndHadoopConfDir() {
    // what HADOOP_CONF_DIR unset gives: yarn-default.xml only
    Configuration conf = new YarnConfiguration(new Configuration(false));
    conf.addResource("yarn-default.xml");
    ClusterConnection.ClusterUnavailableException e = assertThrows(ClusterConnection.ClusterUnavailableException.class,
        () -> ClusterConnection.check(conf, 1_000));
    assertTrue(e.getMessage().contains("no YARN cluster is configured"), e.getMessage());
    assertTrue(e.getMessage().contains("yarn.resourcemanager.address"), e.getMessage());
    assertTrue(e.getMessage().contains("HADOOP_CONF_DIR"), e.getMessage());
  }

  @Test
  void aResourceManagerThatDoesNotAnswerFailsWithinTheTimeoutNamingAddressAndSetting() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    Configuration conf = new YarnConfiguration(new Configuration(false));
    conf.set(YarnConfiguration.RM_ADDRESS, "127.0.0.1:" + port);
    long start = System.nanoTime();
    ClusterConnection.ClusterUnavailableException e = assertThrows(ClusterConnection.ClusterUnavailableException.class,
        () -> ClusterConnection.check(conf, 2_000));
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    assertTrue(e.getMessage().contains("weft.yarn.connect.timeout"), e.getMessage());
    // Hadoop's defaults retry for 15 minutes; a generous bound, not a speed measurement
    assertTrue(seconds < 90, "gave up only after " + seconds + " s");
  }
}
