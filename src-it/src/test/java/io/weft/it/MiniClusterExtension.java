package io.weft.it;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded Hadoop for one integration test class: starts the configured components (HDFS now;
 * YARN is meant to be added as one more {@link ClusterComponent}) before the first test, stops
 * them after the last, and prints diagnostics and the tail of the cluster's log when a test
 * fails. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder()
 *     .dataNodeHosts("127.0.0.2", "127.0.0.3").racks("/r1", "/r2").blockSize(64 * 1024).build();
 * }</pre>
 *
 * <p>It carries the quirks in docs/HADOOP-NOTES.md so that tests need not know them. Hadoop
 * keeps JVM-global state (static host resolution, rack mappings, metrics), so each test class
 * gets a fresh JVM (Failsafe {@code reuseForks=false}) and one cluster.
 *
 * <p>Threading: JUnit's thread; components stop in parallel because a sequential stop of
 * several daemons waits on each one's shutdown timeouts in turn.
 */
public final class MiniClusterExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(MiniClusterExtension.class);
  private static final long STOP_TIMEOUT_SECONDS = 60;

  private final MiniHdfs hdfs;
  private final List<ClusterComponent> components;
  private final Configuration conf = new Configuration();
  private Path workDir;
  private ClusterLogCapture logs;
  private volatile boolean anyTestFailed;

  private MiniClusterExtension(Builder b) {
    this.hdfs = new MiniHdfs(b.dataNodes, b.hosts, b.racks, b.blockSize, b.replication);
    this.components = List.of(hdfs);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    workDir = Files.createDirectories(Path.of("target", "minicluster"))
        .toAbsolutePath().resolve(context.getRequiredTestClass().getSimpleName() + "-" + System.nanoTime());
    logs = ClusterLogCapture.start(workDir.resolve("cluster.log"));
    for (ClusterComponent c : components) {
      long started = System.nanoTime();
      try {
        c.start(conf, Files.createDirectories(workDir.resolve(c.name().toLowerCase())));
      } catch (Exception | Error e) {
        anyTestFailed = true;
        printDiagnostics("starting " + c.name() + " failed: " + e);
        throw e;
      }
      LOG.info("{} started in {} ms", c.name(), (System.nanoTime() - started) / 1_000_000);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    long started = System.nanoTime();
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (ClusterComponent c : components) {
      stops.add(CompletableFuture.runAsync(() -> stopQuietly(c)));
    }
    try {
      CompletableFuture.allOf(stops.toArray(new CompletableFuture<?>[0])).get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Cluster did not stop within {} s; the test JVM's exit will end it", STOP_TIMEOUT_SECONDS, e);
    }
    LOG.info("Cluster stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
    if (logs != null) {
      logs.stop();
    }
    if (anyTestFailed) {
      LOG.warn("Keeping {} (daemon data and cluster.log) for the failed test", workDir);
    } else {
      FileUtil.fullyDelete(workDir.toFile());
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    anyTestFailed = true;
    printDiagnostics(context.getDisplayName() + " failed: " + cause);
  }

  /** The cluster's client configuration (a copy: changes do not affect the cluster). */
  public Configuration configuration() {
    return new Configuration(conf);
  }

  /**
   * The configuration to hand to processes that do not have the minicluster jar on their
   * classpath (YARN containers): MiniDFSCluster sets a topology mapping class that exists only
   * in that jar, and a container given it dies with {@code ClassNotFoundException}.
   */
  public Configuration shippableConfiguration() {
    Configuration c = configuration();
    c.unset(CommonConfigurationKeysPublic.NET_TOPOLOGY_NODE_SWITCH_MAPPING_IMPL_KEY);
    return c;
  }

  /** The HDFS client of the cluster (shared and cached by Hadoop: do not close it). */
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

  /** A fully qualified URI string for {@code absolutePath} on the cluster's HDFS. */
  public String hdfsPath(String absolutePath) {
    return hdfsUri().resolve(absolutePath).toString();
  }

  /** The underlying MiniDFSCluster, for tests that need its daemons (stopping a DataNode, ...). */
  public MiniDFSCluster dfsCluster() {
    return hdfs.cluster();
  }

  private void printDiagnostics(String reason) {
    PrintStream out = System.err;
    out.println("==== MiniClusterExtension diagnostics: " + reason);
    for (ClusterComponent c : components) {
      c.printDiagnostics(out);
    }
    if (logs != null) {
      logs.printTail(out, 50, 100);
    }
    out.println("==== end of diagnostics (cluster directory " + workDir + ")");
  }

  private static void stopQuietly(ClusterComponent c) {
    try {
      c.stop();
    } catch (Exception | Error e) {
      LOG.warn("Stopping {} failed", c.name(), e);
    }
  }

  /** What cluster to start; defaults: one DataNode on localhost, 1 MB blocks, replication 1. */
  public static final class Builder {
    private int dataNodes = 1;
    private List<String> hosts = List.of();
    private List<String> racks = List.of();
    private long blockSize = 1 << 20;
    private int replication = 1;

    private Builder() {}

    /** One DataNode per host, each reporting that host name (use 127.0.0.x: all loopback). */
    public Builder dataNodeHosts(String... hostNames) {
      hosts = Arrays.asList(hostNames);
      dataNodes = hostNames.length;
      return this;
    }

    /** The rack of each DataNode, in {@link #dataNodeHosts} order; needs host names. */
    public Builder racks(String... rackNames) {
      racks = Arrays.asList(rackNames);
      return this;
    }

    public Builder dataNodes(int n) {
      dataNodes = n;
      return this;
    }

    /** HDFS block size; must be a multiple of 512 (the checksum chunk). */
    public Builder blockSize(long bytes) {
      blockSize = bytes;
      return this;
    }

    public Builder replication(int n) {
      replication = n;
      return this;
    }

    public MiniClusterExtension build() {
      if (!racks.isEmpty() && racks.size() != hosts.size()) {
        throw new IllegalArgumentException("racks need one host name per DataNode: " + hosts + " vs " + racks);
      }
      if (!hosts.isEmpty() && hosts.size() != dataNodes) {
        throw new IllegalArgumentException(dataNodes + " DataNodes but host names " + hosts);
      }
      return new MiniClusterExtension(this);
    }
  }
}
