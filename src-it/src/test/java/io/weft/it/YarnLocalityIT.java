package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.it.apps.CountsLines;
import io.weft.it.yarn.WeftOnYarn;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.net.DNSToSwitchMapping;
import org.apache.hadoop.net.TableMapping;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.attempt.RMAppAttempt;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.NodeType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Locality end to end on the embedded YARN + HDFS with DataNodes and NodeManagers on two hosts
 * in two racks (and a third DataNode with no NodeManager): an input whose blocks are on both hosts (one replica each, placed on purpose),
 * an application told about it ({@code weft.yarn.locality.inputs}) with Hadoop's table topology
 * mapping; its executor containers are asked for on the blocks' hosts and granted there (the
 * ResourceManager's own locality statistics count node-local grants of node-local requests,
 * which requests for anywhere never are), and every input task runs NODE_LOCAL (Weft's own
 * per-level counts, from the AM's final diagnostic). Blocks on the host without a NodeManager
 * are read RACK_LOCAL, from the executor on their rack.
 *
 * <p>On a two-node cluster the capacity scheduler gives up waiting for a requested host after two
 * missed heartbeats (its delay is capped by the cluster size), so under load both executors could
 * be stacked on one host whatever was asked. The cluster therefore counts vcores (dominant
 * resource calculator): a NodeManager's 4 vcores fit one 3-vcore executor (next to the 1-vcore
 * AM), so YARN cannot stack them, and the statistics tell whether it honoured the requests.
 */
class YarnLocalityIT {
  /** NodeManagers and DataNodes on .2 (/r1) and .3 (/r2); a DataNode alone on .4 (/r1). */
  private static final List<String> HOSTS = List.of("127.0.0.2", "127.0.0.3");
  private static final String NO_NODE_MANAGER = "127.0.0.4";
  private static final int BLOCK_SIZE = 64 * 1024;

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder()
      .dataNodeHosts("127.0.0.2", "127.0.0.3", NO_NODE_MANAGER).racks("/r1", "/r2", "/r1").blockSize(BLOCK_SIZE)
      .withYarnOnHosts(HOSTS.toArray(new String[0])).nodeManagerRacks("/r1", "/r2")
      .yarnSetting("yarn.scheduler.capacity.resource-calculator",
          "org.apache.hadoop.yarn.util.resource.DominantResourceCalculator")
      .build();

  @TempDir Path tmp;

  /** What one run of {@link CountsLines} left: its report, its containers' logs, the RM's view. */
  private record Counted(ApplicationReport report, String logs, int[][] allocations, String taskLocality) {}

  @Test
  @Timeout(300)
  void executorsAreAskedForAndLandOnTheBlocksHostsAndInputTasksRunNodeLocal() throws Exception {
    // two blocks on each NodeManager host, each block on that host only
    long lines = writeOn("/locality/in/part-0", 0) + writeOn("/locality/in/part-1", 1);
    assertEquals(Set.of("127.0.0.2", "127.0.0.3"), blockHostsUnder("/locality/in"), "blocks are where the test put them");

    Counted c = countLines("/locality/in");

    assertTrue(c.logs().contains("CountsLines: " + lines + " lines"), "the driver counted every line");
    assertTrue(c.logs().contains("outstanding now {127.0.0.2 (/r1)=1, 127.0.0.3 (/r2)=1}"),
        "the AM asked for one container on each block host, with its rack");
    assertEquals(2, c.allocations()[NodeType.NODE_LOCAL.getIndex()][NodeType.NODE_LOCAL.getIndex()],
        "both executor containers were asked for on a host and granted there: " + Arrays.deepToString(c.allocations()));
    assertEquals("NODE_LOCAL=4", c.taskLocality(), "every input task ran where its block is");
  }

  @Test
  @Timeout(300)
  void blocksOnAHostWithoutANodeManagerAreReadRackLocalFromItsRack() throws Exception {
    long lines = writeOn("/rack/in/part-0", 0) + writeOn("/rack/in/part-1", 1) + writeOn("/rack/in/part-2", 2);
    assertEquals(Set.of("127.0.0.2", "127.0.0.3", NO_NODE_MANAGER), blockHostsUnder("/rack/in"));

    Counted c = countLines("/rack/in");

    assertTrue(c.logs().contains("CountsLines: " + lines + " lines"), "the driver counted every line");
    // .4's two blocks have no executor on their host; .2 shares their rack /r1, .3 does not
    assertEquals("NODE_LOCAL=4, RACK_LOCAL=2", c.taskLocality());
  }

  /** Runs {@link CountsLines} over {@code dir} on 2 executors, with the table topology and the input named up front. */
  private Counted countLines(String dir) throws Exception {
    Path table = Files.writeString(tmp.resolve("topology.table"),
        "127.0.0.2 /r1\n127.0.0.3 /r2\n" + NO_NODE_MANAGER + " /r1\n");
    Configuration client = CLUSTER.configuration();
    client.setClass(CommonConfigurationKeysPublic.NET_TOPOLOGY_NODE_SWITCH_MAPPING_IMPL_KEY,
        TableMapping.class, DNSToSwitchMapping.class);
    client.set(CommonConfigurationKeysPublic.NET_TOPOLOGY_TABLE_MAPPING_FILE_KEY, table.toString());
    String input = CLUSTER.hdfsPath(dir);
    Map<String, String> settings = WeftOnYarn.settings("locality-it", 2);
    settings.put("weft.yarn.locality.inputs", input);
    settings.put("weft.scheduler.minRegisteredResourcesRatio", "1.0");
    settings.put("weft.executor.cores", "3");
    settings.put("weft.locality.wait", "20s"); // a busy slot on the right host or rack is worth waiting for

    WeftOnYarn.Run run = WeftOnYarn.run(client, CountsLines.class.getName(),
        WeftOnYarn.appJar(CountsLines.class, tmp), List.of(input), settings);

    ApplicationReport report = WeftOnYarn.report(CLUSTER, run.appId());
    String logs = containerLogs(run);
    if (run.exitCode() != 0) {
      System.err.println(logs);
    }
    assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus(), report.getDiagnostics());
    RMAppAttempt attempt = CLUSTER.cluster().yarnCluster().getResourceManager().getRMContext().getRMApps()
        .get(run.appId()).getCurrentAppAttempt();
    Matcher m = Pattern.compile("Tasks by locality: (.*)").matcher(report.getDiagnostics());
    assertTrue(m.find(), "no per-level counts in the diagnostic: " + report.getDiagnostics());
    return new Counted(report, logs, attempt.getRMAppAttemptMetrics().getLocalityStatistics(), m.group(1).strip());
  }

  /**
   * Writes two blocks' worth of lines (a little less) to {@code file} with one replica, on
   * DataNode {@code dn} only; returns how many lines.
   */
  private static long writeOn(String file, int dn) throws Exception {
    DataNode node = CLUSTER.dfsCluster().getDataNodes().get(dn);
    InetSocketAddress favored = new InetSocketAddress(node.getDatanodeId().getIpAddr(), node.getDatanodeId().getXferPort());
    DistributedFileSystem fs = CLUSTER.dfsCluster().getFileSystem();
    long lines = 0;
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(file), FsPermission.getFileDefault(), true,
        4096, (short) 1, BLOCK_SIZE, null, new InetSocketAddress[] {favored})) {
      for (int written = 0; written < 2 * BLOCK_SIZE - 100; lines++) {
        byte[] line = ("line " + lines + " of " + file + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(line);
        written += line.length;
      }
    }
    return lines;
  }

  private static Set<String> blockHostsUnder(String dir) throws Exception {
    Set<String> hosts = new TreeSet<>();
    for (FileStatus f : CLUSTER.fileSystem().listStatus(new org.apache.hadoop.fs.Path(dir))) {
      for (BlockLocation b : CLUSTER.fileSystem().getFileBlockLocations(f, 0, f.getLen())) {
        assertEquals(1, b.getHosts().length, "one replica per block: " + b);
        hosts.add(b.getHosts()[0]);
      }
    }
    return hosts;
  }

  private static String containerLogs(WeftOnYarn.Run run) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    CLUSTER.printContainerLogs(run.appId().toString(), new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
