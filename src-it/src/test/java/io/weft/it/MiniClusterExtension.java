package io.weft.it;

import io.weft.minicluster.EmbeddedCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded Hadoop for one integration test class: an {@link EmbeddedCluster} (HDFS, and YARN
 * with {@link Builder#withYarn}) started before the first test and stopped after the last; when
 * a test fails it prints the cluster's state, the container logs of every application the RM
 * knows, and the tail of the cluster's log. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder()
 *     .dataNodeHosts("127.0.0.2", "127.0.0.3").racks("/r1", "/r2").blockSize(64 * 1024)
 *     .withYarn(2).build();
 * }</pre>
 *
 * <p>Every quirk of the mini clusters lives in EmbeddedCluster (weft-minicluster), shared with
 * {@code bin/weft minicluster}; docs/MINICLUSTER-NOTES.md lists them. Hadoop keeps JVM-global
 * state (static host resolution, rack mappings, metrics), so each test class gets a fresh JVM
 * (Failsafe {@code reuseForks=false}) and one cluster.
 *
 * <p>Threading: JUnit's thread. Failure: a failed start prints diagnostics and fails the class;
 * the work directory ({@code target/minicluster/<Test>-<nanos>}: daemon data, container logs,
 * cluster.log) is kept when anything failed or {@code -Dweft.it.keepClusterDir=true} is given.
 */
public final class MiniClusterExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(MiniClusterExtension.class);
  /** {@code -Dweft.it.keepClusterDir=true} keeps the work directory of passing tests too. */
  private static final String KEEP_PROPERTY = "weft.it.keepClusterDir";

  private final Builder spec;
  private EmbeddedCluster cluster;
  private Path workDir;
  private ClusterLogCapture logs;
  private volatile boolean anyTestFailed;

  private MiniClusterExtension(Builder spec) {
    this.spec = spec;
  }

  /** The DataNode hosts of {@link #twoHostHdfs}: distinct loopback addresses, so splits have hosts to tell apart. */
  public static final java.util.List<String> TWO_HOSTS = java.util.List.of("127.0.0.2", "127.0.0.3");

  /**
   * HDFS alone with two DataNodes on {@link #TWO_HOSTS}, in racks {@code /r1} and {@code /r2},
   * and blocks of {@code blockSize} bytes: for tests of splits, block hosts and racks.
   */
  public static MiniClusterExtension twoHostHdfs(int blockSize) {
    return builder().dataNodeHosts(TWO_HOSTS.toArray(new String[0])).racks("/r1", "/r2").blockSize(blockSize).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    workDir = Files.createDirectories(Path.of("target", "minicluster"))
        .toAbsolutePath().resolve(context.getRequiredTestClass().getSimpleName() + "-" + System.nanoTime());
    logs = ClusterLogCapture.start(workDir.resolve("cluster.log"));
    long started = System.nanoTime();
    try {
      cluster = spec.toClusterBuilder().baseDir(workDir).build();
      cluster.start();
    } catch (Exception | Error e) {
      anyTestFailed = true;
      printDiagnostics("starting the cluster failed: " + e);
      throw e;
    }
    LOG.info("Cluster started in {} ms", (System.nanoTime() - started) / 1_000_000);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (cluster != null) {
      long stopping = System.nanoTime();
      cluster.stop();
      LOG.info("Cluster stopped in {} ms", (System.nanoTime() - stopping) / 1_000_000);
    }
    if (logs != null) {
      logs.stop();
    }
    if (anyTestFailed || Boolean.getBoolean(KEEP_PROPERTY)) {
      LOG.warn("Keeping {} (daemon data, container logs, cluster.log)", workDir);
    } else {
      FileUtil.fullyDelete(workDir.toFile());
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    anyTestFailed = true;
    printDiagnostics(context.getDisplayName() + " failed: " + cause);
  }

  /**
   * The cluster's configuration as the daemons in this JVM see it (HDFS and, with YARN, the RM
   * addresses); a copy. Not for other processes: see {@link #shippableConfiguration}.
   */
  public Configuration configuration() {
    return cluster.inProcessConfiguration();
  }

  /**
   * The configuration to hand to processes without the minicluster jar on their classpath (YARN
   * containers): MiniDFSCluster sets a topology mapping class that exists only in that jar, and
   * a container given it dies with {@code ClassNotFoundException}.
   */
  public Configuration shippableConfiguration() {
    return cluster.configuration();
  }

  /** The HDFS client of the cluster (shared and cached by Hadoop: do not close it). */
  public FileSystem fileSystem() {
    return cluster.fileSystem();
  }

  /** {@code hdfs://localhost:port}, the NameNode's URI. */
  public URI hdfsUri() {
    return cluster.hdfsUri();
  }

  /** A fully qualified URI string for {@code absolutePath} on the cluster's HDFS. */
  public String hdfsPath(String absolutePath) {
    return hdfsUri().resolve(absolutePath).toString();
  }

  /** The underlying MiniDFSCluster, for tests that need its daemons (stopping a DataNode, ...). */
  public MiniDFSCluster dfsCluster() {
    return cluster.dfsCluster();
  }

  /** The embedded cluster itself (RM address, NodeManager log dirs, the MiniYARNCluster). */
  public EmbeddedCluster cluster() {
    return cluster;
  }

  /** Writes core-site.xml, hdfs-site.xml, yarn-site.xml (shippable) into {@code dir}. */
  public Path writeConfDir(Path dir) throws IOException {
    cluster.writeConfDir(dir);
    return dir;
  }

  /** Prints the container logs of {@code applicationId} (stdout, stderr, launch script, ...). */
  public void printContainerLogs(String applicationId, PrintStream out) {
    cluster.printContainerLogs(applicationId, out);
  }

  private void printDiagnostics(String reason) {
    PrintStream out = System.err;
    out.println("==== MiniClusterExtension diagnostics: " + reason);
    if (cluster != null) {
      cluster.printDiagnostics(out);
      for (String app : knownApplications()) {
        cluster.printContainerLogs(app, out);
      }
    }
    if (logs != null) {
      logs.printTail(out, 50, 100);
    }
    out.println("==== end of diagnostics (cluster directory " + workDir + ")");
  }

  /** Applications the RM knows of, for their container logs; empty without YARN. */
  private List<String> knownApplications() {
    List<String> apps = new ArrayList<>();
    try {
      if (cluster.yarnCluster() != null) {
        cluster.yarnCluster().getResourceManager().getRMContext().getRMApps().keySet()
            .forEach(id -> apps.add(id.toString()));
      }
    } catch (RuntimeException e) {
      System.err.println("---- cannot list applications: " + e);
    }
    return apps;
  }

  /**
   * What cluster to start; defaults: HDFS only, one DataNode on localhost, 1 MB blocks,
   * replication 1. Each option is EmbeddedCluster's own (which also validates them).
   */
  public static final class Builder {
    private final EmbeddedCluster.Builder cluster = EmbeddedCluster.builder().nodeManagers(0);

    private Builder() {}

    /** One DataNode per host, each reporting that host name (use 127.0.0.x: all loopback). */
    public Builder dataNodeHosts(String... hostNames) {
      cluster.dataNodeHosts(hostNames);
      return this;
    }

    /** The rack of each DataNode, in {@link #dataNodeHosts} order; needs host names. */
    public Builder racks(String... rackNames) {
      cluster.dataNodeRacks(rackNames);
      return this;
    }

    public Builder dataNodes(int n) {
      cluster.dataNodes(n);
      return this;
    }

    /** HDFS block size; must be a multiple of 512 (the checksum chunk). */
    public Builder blockSize(long bytes) {
      cluster.blockSize(bytes);
      return this;
    }

    public Builder replication(int n) {
      cluster.replication(n);
      return this;
    }

    /** Adds YARN with two NodeManagers. */
    public Builder withYarn() {
      return withYarn(2);
    }

    /** Adds YARN with {@code nodeManagers} NodeManagers (MiniYARNCluster's own). */
    public Builder withYarn(int nodeManagers) {
      cluster.nodeManagers(nodeManagers);
      return this;
    }

    /** Adds YARN with one NodeManager bound to each host (for locality tests). */
    public Builder withYarnOnHosts(String... hostNames) {
      cluster.nodeManagerHosts(hostNames);
      return this;
    }

    /** The rack of each NodeManager host, in {@link #withYarnOnHosts} order. */
    public Builder nodeManagerRacks(String... rackNames) {
      cluster.nodeManagerRacks(rackNames);
      return this;
    }

    /** Capacity scheduler node-locality-delay (-1 allows strict rack requests). */
    public Builder nodeLocalityDelay(int delay) {
      cluster.nodeLocalityDelay(delay);
      return this;
    }

    /** A YARN setting applied after the cluster's defaults (a capacity scheduler setting, say). */
    public Builder yarnSetting(String key, String value) {
      cluster.yarnSetting(key, value);
      return this;
    }

    public MiniClusterExtension build() {
      return new MiniClusterExtension(this);
    }

    private EmbeddedCluster.Builder toClusterBuilder() {
      return cluster;
    }
  }
}
