package io.weft.minicluster;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.net.StaticMapping;
import org.apache.hadoop.service.Service;
import org.apache.hadoop.yarn.api.records.NodeState;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.nodemanager.NodeManager;
import org.apache.hadoop.yarn.server.resourcemanager.ResourceManager;
import org.apache.hadoop.yarn.server.resourcemanager.rmnode.RMNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The YARN half of {@link EmbeddedCluster}: a {@link MiniYARNCluster} (one ResourceManager) and
 * its NodeManagers. Either MiniYARNCluster starts {@code n} NodeManagers itself (all report host
 * {@code localhost}-ish names and differ only by port), or, when host names are given, it starts
 * none and we start one plain {@link NodeManager} per host with every address bound to that
 * loopback host, so that container hosts can match HDFS block hosts in locality tests.
 *
 * <p>Quirks handled: see {@link YarnSettings}; the RM address is read only after start (it ends
 * in {@code :0} before); start returns only when every NodeManager is RUNNING in the RM; stop
 * stops the NodeManagers in parallel (a sequential stop waits ~10 s each in the log handler).
 *
 * <p>Threading: start on one thread; stop may come from any thread (a shutdown hook) and is
 * idempotent. Failure: a start failure propagates and leaves {@link #stop} safe to call.
 */
final class EmbeddedYarn {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedYarn.class);
  private static final long REGISTER_TIMEOUT_MS = 60_000;
  private static final long STOP_TIMEOUT_SECONDS = 60;

  private final int nodeManagers;
  private final List<String> hosts;
  private final List<String> racks;
  private final Integer nodeLocalityDelay;
  /** Settings a test wants on top of {@link YarnSettings} (e.g. the capacity scheduler's). */
  private final java.util.Map<String, String> extraSettings;
  private volatile MiniYARNCluster yarn;
  private final List<NodeManager> extraNodeManagers = new ArrayList<>();

  EmbeddedYarn(int nodeManagers, List<String> hosts, List<String> racks, Integer nodeLocalityDelay,
      java.util.Map<String, String> extraSettings) {
    this.extraSettings = java.util.Map.copyOf(extraSettings);
    this.nodeManagers = nodeManagers;
    this.hosts = hosts;
    this.racks = racks;
    this.nodeLocalityDelay = nodeLocalityDelay;
  }

  /**
   * Starts YARN with its work directories under {@code dir}, on top of {@code conf} (which
   * already names HDFS); afterwards {@link #config()} holds the real RM addresses.
   */
  void start(Configuration conf, Path dir) throws Exception {
    YarnConfiguration yconf = new YarnConfiguration(conf);
    YarnSettings.apply(yconf, nodeLocalityDelay);
    extraSettings.forEach(yconf::set);
    MiniYARNCluster cluster = newMiniYarnCluster(dir, hosts.isEmpty() ? nodeManagers : 0);
    yarn = cluster;
    cluster.init(yconf);
    cluster.start();
    for (int i = 0; i < hosts.size(); i++) {
      startNodeManagerOn(hosts.get(i), i < racks.size() ? racks.get(i) : null, dir);
    }
    waitForNodeManagers(totalNodeManagers());
    pointWebProxyAtTheResourceManager(cluster);
    LOG.info("YARN ResourceManager at {} with {} NodeManagers", config().get(YarnConfiguration.RM_ADDRESS),
        totalNodeManagers());
  }

  /**
   * The ResourceManager builds each application's tracking URL ({@code http://<proxy>/proxy/<appId>/})
   * from {@code yarn.web-proxy.address}, falling back to its web address as it was configured,
   * {@code host:0} for an ephemeral port, and caches that in its context (RMContextImpl's
   * private {@code proxyHostAndPort}) when its web app starts: the URL then opens nothing. Its
   * embedded proxy was chosen then too (the two addresses were equal), and once started its
   * configuration holds the real web port; we name that address as the proxy and replace the
   * cached value (reflection: there is no setter; this is test infrastructure), so the printed
   * URL opens the AM's pages through the embedded proxy.
   */
  private static void pointWebProxyAtTheResourceManager(MiniYARNCluster cluster) {
    ResourceManager rm = cluster.getResourceManager();
    String address = rm.getConfig().get(YarnConfiguration.RM_WEBAPP_ADDRESS, "");
    if (address.isEmpty() || address.endsWith(":0")) {
      LOG.warn("The ResourceManager's web address is {}: tracking URLs will not open", address);
      return;
    }
    rm.getConfig().set(YarnConfiguration.PROXY_ADDRESS, address);
    cluster.getConfig().set(YarnConfiguration.PROXY_ADDRESS, address);
    try {
      java.lang.reflect.Field cached = rm.getRMContext().getClass().getDeclaredField("proxyHostAndPort");
      cached.setAccessible(true);
      cached.set(rm.getRMContext(), address);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("Cannot point the ResourceManager's proxy at {} ({}): tracking URLs will not open", address, e.toString());
    }
  }

  /**
   * MiniYARNCluster puts its work dir under {@code GenericTestUtils.getTestDir()}, which is the
   * {@code test.build.data} system property (default {@code target/test/data} of the current
   * directory): we point it at {@code dir} for the constructor only.
   */
  private static MiniYARNCluster newMiniYarnCluster(Path dir, int nodeManagers) throws IOException {
    Files.createDirectories(dir);
    String old = System.getProperty("test.build.data");
    System.setProperty("test.build.data", dir.toAbsolutePath().toString());
    try {
      return new MiniYARNCluster("weft-yarn", 1, nodeManagers, 1, 1);
    } finally {
      if (old == null) {
        System.clearProperty("test.build.data");
      } else {
        System.setProperty("test.build.data", old);
      }
    }
  }

  /**
   * A NodeManager whose NodeId host is {@code host}: its RPC, localizer and web addresses are all
   * bound there (all of 127/8 is loopback). Its rack, if any, is registered with StaticMapping,
   * the topology mapping MiniDFSCluster installs in this JVM, which the RM then consults too.
   */
  private void startNodeManagerOn(String host, String rack, Path dir) throws IOException {
    if (rack != null) {
      StaticMapping.addNodeToRack(host, rack);
    }
    YarnConfiguration c = new YarnConfiguration(config());
    Path nmDir = dir.resolve("nm-" + host);
    c.set(YarnConfiguration.NM_LOCAL_DIRS, Files.createDirectories(nmDir.resolve("local")).toString());
    c.set(YarnConfiguration.NM_LOG_DIRS, Files.createDirectories(nmDir.resolve("logs")).toString());
    c.set(YarnConfiguration.NM_ADDRESS, host + ":0");
    c.set(YarnConfiguration.NM_LOCALIZER_ADDRESS, host + ":0");
    c.set(YarnConfiguration.NM_WEBAPP_ADDRESS, host + ":0");
    c.set(YarnConfiguration.NM_COLLECTOR_SERVICE_ADDRESS, host + ":0");
    c.setInt(YarnConfiguration.NM_PMEM_MB, YarnSettings.NODE_MANAGER_MEMORY_MB);
    c.setBoolean(YarnConfiguration.NM_ENABLE_HARDWARE_CAPABILITY_DETECTION, false);
    NodeManager nm = new NodeManager();
    synchronized (extraNodeManagers) {
      extraNodeManagers.add(nm);
    }
    nm.init(c);
    nm.start();
  }

  private int totalNodeManagers() {
    return hosts.isEmpty() ? nodeManagers : hosts.size();
  }

  /** Polls the RM until {@code expected} NodeManagers are RUNNING; the RM accepts none before. */
  private void waitForNodeManagers(int expected) throws InterruptedException, TimeoutException {
    long deadline = System.currentTimeMillis() + REGISTER_TIMEOUT_MS;
    while (true) {
      Collection<RMNode> nodes = resourceManager().getRMContext().getRMNodes().values();
      long running = nodes.stream().filter(n -> n.getState() == NodeState.RUNNING).count();
      if (running >= expected) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new TimeoutException(running + " of " + expected + " NodeManagers registered within "
            + REGISTER_TIMEOUT_MS + " ms: " + nodes);
      }
      Thread.sleep(50);
    }
  }

  /** The cluster's configuration with the live RM addresses (valid after start). */
  Configuration config() {
    return running().getConfig();
  }

  ResourceManager resourceManager() {
    return running().getResourceManager();
  }

  MiniYARNCluster cluster() {
    return yarn;
  }

  private MiniYARNCluster running() {
    MiniYARNCluster c = yarn;
    if (c == null) {
      throw new IllegalStateException("YARN is not running");
    }
    return c;
  }

  /** Every NodeManager of the cluster, started or not (for logs and parallel stop). */
  List<NodeManager> nodeManagers() {
    List<NodeManager> all = new ArrayList<>();
    MiniYARNCluster c = yarn;
    if (c != null) {
      for (int i = 0; i < (hosts.isEmpty() ? nodeManagers : 0); i++) {
        NodeManager nm = c.getNodeManager(i);
        if (nm != null) {
          all.add(nm);
        }
      }
    }
    synchronized (extraNodeManagers) {
      all.addAll(extraNodeManagers);
    }
    return all;
  }

  /** The log directories of all NodeManagers: {@code <dir>/<appId>/<containerId>/stdout}, ... */
  List<Path> nodeManagerLogDirs() {
    List<Path> dirs = new ArrayList<>();
    for (NodeManager nm : nodeManagers()) {
      Configuration c = nm.getConfig();
      if (c != null) {
        for (String d : c.getTrimmedStrings(YarnConfiguration.NM_LOG_DIRS)) {
          dirs.add(Path.of(d.startsWith("file:") ? java.net.URI.create(d).getPath() : d));
        }
      }
    }
    return dirs;
  }

  /** Stops NodeManagers in parallel, then the RM; idempotent, never throws. */
  void stop() {
    MiniYARNCluster c = yarn;
    if (c == null) {
      return;
    }
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (NodeManager nm : nodeManagers()) {
      stops.add(CompletableFuture.runAsync(() -> stopQuietly(nm)));
    }
    try {
      CompletableFuture.allOf(stops.toArray(new CompletableFuture<?>[0])).get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("NodeManagers did not stop within {} s", STOP_TIMEOUT_SECONDS, e);
    }
    stopQuietly(c);
    yarn = null;
    synchronized (extraNodeManagers) {
      extraNodeManagers.clear();
    }
  }

  private static void stopQuietly(Service s) {
    try {
      s.stop();
    } catch (RuntimeException | Error e) {
      LOG.warn("Stopping {} failed", s.getName(), e);
    }
  }

  /** Prints RM address and node reports; never throws. */
  void printDiagnostics(PrintStream out) {
    MiniYARNCluster c = yarn;
    if (c == null) {
      out.println("YARN: not running");
      return;
    }
    try {
      out.println("YARN: ResourceManager " + c.getConfig().get(YarnConfiguration.RM_ADDRESS)
          + ", web UI http://" + c.getConfig().get(YarnConfiguration.RM_WEBAPP_ADDRESS));
      for (RMNode n : c.getResourceManager().getRMContext().getRMNodes().values()) {
        out.println("  NodeManager " + n.getNodeID() + " rack " + n.getRackName() + " state " + n.getState()
            + " capability " + n.getTotalCapability() + " health " + n.getHealthReport());
      }
      out.println("  NodeManager log dirs: " + nodeManagerLogDirs());
    } catch (Exception | Error e) {
      out.println("YARN: cannot report (" + e + ")");
    }
  }
}
