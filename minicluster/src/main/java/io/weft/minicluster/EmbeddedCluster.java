package io.weft.minicluster;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.net.DNSToSwitchMapping;
import org.apache.hadoop.net.NetUtils;
import org.apache.hadoop.net.StaticMapping;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded single-machine Hadoop: HDFS ({@code MiniDFSCluster}) and, unless asked for none,
 * YARN ({@code MiniYARNCluster}) in this JVM, with containers as real child processes. It
 * carries every quirk of running them on a small machine (docs/MINICLUSTER-NOTES.md), so that
 * the integration tests and {@code bin/weft minicluster} share one implementation:
 *
 * <pre>{@code
 * try (EmbeddedCluster cluster = EmbeddedCluster.builder().nodeManagers(2).build()) {
 *   cluster.start();
 *   cluster.writeConfDir(Path.of("conf-dir"));   // HADOOP_CONF_DIR for clients
 *   ... cluster.configuration() ...             // safe to ship to containers
 * }
 * }</pre>
 *
 * <p>Threading: build and start on one thread; {@link #stop} may be called from any thread
 * (a shutdown hook, a JUnit callback), any number of times. Accessors throw
 * {@link IllegalStateException} when the cluster is not running. Failure: a start failure stops
 * whatever had started and propagates.
 */
public final class EmbeddedCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCluster.class);

  private final EmbeddedHdfs hdfs;
  private final EmbeddedYarn yarn;
  private final Path baseDir;
  private final boolean deleteBaseDir;
  private final boolean nodeManagerRacks;
  private final Configuration conf = new Configuration();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile boolean started;

  private EmbeddedCluster(Builder b) throws IOException {
    b.hadoopSettings.forEach(conf::set);
    hdfs = new EmbeddedHdfs(b.dataNodes, b.dataNodeHosts, b.dataNodeRacks, b.blockSize, b.replication);
    int nms = b.nodeManagerHosts.isEmpty() ? b.nodeManagers : b.nodeManagerHosts.size();
    yarn = nms == 0 ? null : new EmbeddedYarn(nms, b.nodeManagerHosts, b.nodeManagerRacks, b.nodeLocalityDelay,
        b.yarnSettings);
    nodeManagerRacks = !b.nodeManagerRacks.isEmpty();
    deleteBaseDir = b.baseDir == null;
    baseDir = b.baseDir != null ? Files.createDirectories(b.baseDir.toAbsolutePath())
        : Files.createTempDirectory("weft-minicluster-");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts HDFS, then YARN on top of it; returns when every DataNode and NodeManager is up. */
  public void start() throws Exception {
    if (started || stopped.get()) {
      throw new IllegalStateException("an EmbeddedCluster starts once");
    }
    started = true;
    try {
      long t0 = System.nanoTime();
      hdfs.start(conf, baseDir.resolve("hdfs"));
      LOG.info("HDFS {} started in {} ms", hdfs.uri(), (System.nanoTime() - t0) / 1_000_000);
      if (yarn != null) {
        if (nodeManagerRacks) {
          // The RM resolves NodeManager racks through the JVM-global StaticMapping table.
          conf.setClass(CommonConfigurationKeysPublic.NET_TOPOLOGY_NODE_SWITCH_MAPPING_IMPL_KEY,
              StaticMapping.class, DNSToSwitchMapping.class);
        }
        long t1 = System.nanoTime();
        yarn.start(conf, baseDir.resolve("yarn"));
        LOG.info("YARN started in {} ms", (System.nanoTime() - t1) / 1_000_000);
      }
    } catch (Exception | Error e) {
      stop();
      throw e;
    }
  }

  /** Stops YARN (NodeManagers in parallel), then HDFS; idempotent, never throws. */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    long t0 = System.nanoTime();
    // Each part on its own: a failure in YARN's stop must not leave HDFS running.
    if (yarn != null) {
      quietly("YARN", yarn::stop);
    }
    quietly("HDFS", hdfs::stop);
    if (deleteBaseDir) {
      FileUtil.fullyDelete(baseDir.toFile());
    }
    LOG.info("Embedded cluster stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  private static void quietly(String what, Runnable stop) {
    try {
      stop.run();
    } catch (RuntimeException | Error e) {
      LOG.warn("Stopping {} failed", what, e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * The cluster's client configuration, safe to ship to processes without the minicluster jar
   * (containers, other JVMs): HDFS and, with YARN, the live RM addresses. A fresh copy each time.
   */
  public Configuration configuration() {
    return SiteFiles.shippable(inProcessConfiguration());
  }

  /**
   * The full configuration as the daemons see it, including settings that work only inside this
   * JVM (the {@code StaticMapping} topology of MiniDFSCluster). A fresh copy each time.
   */
  public Configuration inProcessConfiguration() {
    checkRunning();
    return new Configuration(yarn != null ? yarn.config() : conf);
  }

  /** The HDFS client (shared and cached by Hadoop: do not close it). */
  public FileSystem fileSystem() {
    try {
      return hdfs.fileSystem();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code hdfs://localhost:port}, the NameNode's URI. */
  public URI hdfsUri() {
    return hdfs.uri();
  }

  /** The ResourceManager's client address ({@code host:port}); only valid after start. */
  public InetSocketAddress rmAddress() {
    return NetUtils.createSocketAddr(yarnConfig().get(YarnConfiguration.RM_ADDRESS));
  }

  /** {@code http://host:port} of the ResourceManager web UI. */
  public String webUiAddress() {
    return "http://" + yarnConfig().get(YarnConfiguration.RM_WEBAPP_ADDRESS);
  }

  /**
   * Writes {@code core-site.xml}, {@code hdfs-site.xml} and {@code yarn-site.xml} of the
   * {@linkplain #configuration() shippable configuration} into {@code dir}, so that clients
   * started with {@code HADOOP_CONF_DIR=dir} find the RM and HDFS.
   */
  public void writeConfDir(Path dir) throws IOException {
    SiteFiles.write(inProcessConfiguration(), dir);
  }

  /** Log directories of all NodeManagers (empty without YARN). */
  public List<Path> nodeManagerLogDirs() {
    return yarn == null ? List.of() : yarn.nodeManagerLogDirs();
  }

  /**
   * Prints every file the NodeManagers keep for the application's containers (stdout, stderr,
   * launch_container.sh, directory.info); for failing tests. Never throws.
   */
  public void printContainerLogs(String applicationId, PrintStream out) {
    ContainerLogs.print(nodeManagerLogDirs(), applicationId, out);
  }

  /** Prints HDFS and YARN state (nodes, addresses, log dirs); never throws. */
  public void printDiagnostics(PrintStream out) {
    hdfs.printDiagnostics(out);
    if (yarn != null) {
      yarn.printDiagnostics(out);
    }
  }

  /** The underlying MiniDFSCluster, for tests that stop DataNodes and the like. */
  public MiniDFSCluster dfsCluster() {
    return hdfs.cluster();
  }

  /** The underlying MiniYARNCluster ({@code null} without YARN), for RM-side assertions. */
  public MiniYARNCluster yarnCluster() {
    return yarn == null ? null : yarn.cluster();
  }

  public boolean hasYarn() {
    return yarn != null;
  }

  /** Where the daemons keep their data and logs. */
  public Path baseDir() {
    return baseDir;
  }

  private Configuration yarnConfig() {
    if (yarn == null) {
      throw new IllegalStateException("this cluster has no YARN (nodeManagers(0))");
    }
    checkRunning();
    return yarn.config();
  }

  private void checkRunning() {
    if (!started || stopped.get()) {
      throw new IllegalStateException("the embedded cluster is not running");
    }
  }

  /**
   * What to start. Defaults: one DataNode and one NodeManager on this host's default names,
   * 1 MB blocks, replication 1, a temporary base directory deleted on stop.
   */
  public static final class Builder {
    private int dataNodes = 1;
    private int nodeManagers = 1;
    private List<String> dataNodeHosts = List.of();
    private List<String> dataNodeRacks = List.of();
    private List<String> nodeManagerHosts = List.of();
    private List<String> nodeManagerRacks = List.of();
    private long blockSize = 1 << 20;
    private int replication = 1;
    private Integer nodeLocalityDelay;
    private final java.util.Map<String, String> yarnSettings = new java.util.LinkedHashMap<>();
    private final java.util.Map<String, String> hadoopSettings = new java.util.LinkedHashMap<>();
    private Path baseDir;

    private Builder() {}

    public Builder dataNodes(int n) {
      dataNodes = n;
      return this;
    }

    /** NodeManagers started by MiniYARNCluster; 0 for HDFS only. */
    public Builder nodeManagers(int n) {
      nodeManagers = n;
      return this;
    }

    /** One DataNode per host, each reporting that name (use 127.0.0.x: all of 127/8 is loopback). */
    public Builder dataNodeHosts(String... hosts) {
      dataNodeHosts = Arrays.asList(hosts);
      dataNodes = hosts.length;
      return this;
    }

    /** The rack of each DataNode, in {@link #dataNodeHosts} order. */
    public Builder dataNodeRacks(String... racks) {
      dataNodeRacks = Arrays.asList(racks);
      return this;
    }

    /** One NodeManager per host, bound to it, so container hosts can match block hosts. */
    public Builder nodeManagerHosts(String... hosts) {
      nodeManagerHosts = Arrays.asList(hosts);
      return this;
    }

    /** The rack of each NodeManager host, in {@link #nodeManagerHosts} order. */
    public Builder nodeManagerRacks(String... racks) {
      nodeManagerRacks = Arrays.asList(racks);
      return this;
    }

    /** HDFS block size; a multiple of 512 (the checksum chunk). */
    public Builder blockSize(long bytes) {
      blockSize = bytes;
      return this;
    }

    public Builder replication(int n) {
      replication = n;
      return this;
    }

    /** Capacity scheduler node-locality-delay; -1 allows strict rack requests (see notes). */
    public Builder nodeLocalityDelay(int delay) {
      nodeLocalityDelay = delay;
      return this;
    }

    /** A YARN setting applied after the defaults (e.g. a capacity scheduler setting a test needs). */
    public Builder yarnSetting(String key, String value) {
      yarnSettings.put(key, value);
      return this;
    }

    /** Where daemons keep data and logs; kept after stop. Default: a temp dir, deleted on stop. */
    /**
     * A setting of the whole cluster (HDFS and YARN), applied before anything starts: how a
     * test turns on Kerberos (principals, keytabs) for both.
     */
    public Builder hadoopSetting(String key, String value) {
      hadoopSettings.put(key, value);
      return this;
    }

    public Builder baseDir(Path dir) {
      baseDir = dir;
      return this;
    }

    public EmbeddedCluster build() throws IOException {
      check(dataNodeRacks.isEmpty() || dataNodeRacks.size() == dataNodeHosts.size(),
          "DataNode racks need one DataNode host each: " + dataNodeHosts + " vs " + dataNodeRacks);
      check(nodeManagerRacks.isEmpty() || nodeManagerRacks.size() == nodeManagerHosts.size(),
          "NodeManager racks need one NodeManager host each: " + nodeManagerHosts + " vs " + nodeManagerRacks);
      check(dataNodes >= 1, "at least one DataNode");
      check(nodeManagers >= 0, "nodeManagers must be >= 0");
      check(replication >= 1 && replication <= dataNodes, "replication must be 1.." + dataNodes);
      check(blockSize > 0 && blockSize % 512 == 0, "block size must be a positive multiple of 512");
      return new EmbeddedCluster(this);
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
