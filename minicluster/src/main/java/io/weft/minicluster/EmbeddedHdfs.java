package io.weft.minicluster;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.protocol.DatanodeInfo;
import org.apache.hadoop.net.NetUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HDFS half of {@link EmbeddedCluster}: a {@link MiniDFSCluster} with one NameNode and the
 * requested DataNodes, optionally each on its own loopback host ({@code 127.0.0.2}, ...) and
 * rack so that block locations name distinct hosts as on a real cluster.
 *
 * <p>Quirks handled (docs/MINICLUSTER-NOTES.md): MiniDFSCluster maps every custom host name to
 * {@code localhost} for the whole JVM, which we undo right after start (otherwise the
 * ResourceManager dials a NodeManager on that host at 127.0.0.1 and applications hang in
 * ACCEPTED); a small block size needs the NameNode's minimum block size lowered.
 *
 * <p>Threading: start on one thread; stop may come from any thread, once. Failure: a start
 * failure propagates and leaves {@link #stop} safe to call.
 */
final class EmbeddedHdfs {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedHdfs.class);
  private final int dataNodes;
  private final List<String> hosts;
  private final List<String> racks;
  private final long blockSize;
  private final int replication;
  private volatile MiniDFSCluster cluster;

  EmbeddedHdfs(int dataNodes, List<String> hosts, List<String> racks, long blockSize, int replication) {
    this.dataNodes = dataNodes;
    this.hosts = hosts;
    this.racks = racks;
    this.blockSize = blockSize;
    this.replication = replication;
  }

  /** Starts HDFS in {@code dir} and points {@code conf}'s {@code fs.defaultFS} at it. */
  void start(Configuration conf, Path dir) throws IOException {
    conf.setLong(DFSConfigKeys.DFS_BLOCK_SIZE_KEY, blockSize);
    // The NameNode refuses blocks under 1 MB by default; tests want many small blocks.
    conf.setLong(DFSConfigKeys.DFS_NAMENODE_MIN_BLOCK_SIZE_KEY, 0);
    conf.setInt(DFSConfigKeys.DFS_REPLICATION_KEY, replication);
    MiniDFSCluster.Builder builder = new MiniDFSCluster.Builder(conf, dir.toFile())
        .numDataNodes(dataNodes)
        .format(true)
        .waitSafeMode(true);
    if (!hosts.isEmpty()) {
      builder.hosts(hosts.toArray(new String[0]));
    }
    if (!racks.isEmpty()) {
      builder.racks(racks.toArray(new String[0]));
    }
    cluster = builder.build();
    cluster.waitActive();
    for (String host : hosts) {
      // Undo MiniDFSCluster's JVM-wide "host -> localhost" mapping (see class doc).
      NetUtils.addStaticResolution(host, host);
    }
    conf.set(DFSConfigKeys.FS_DEFAULT_NAME_KEY, uri().toString());
  }

  MiniDFSCluster cluster() {
    return cluster;
  }

  DistributedFileSystem fileSystem() throws IOException {
    return running().getFileSystem();
  }

  /** {@code hdfs://localhost:port} of the NameNode. */
  URI uri() {
    return running().getURI();
  }

  private MiniDFSCluster running() {
    MiniDFSCluster c = cluster;
    if (c == null) {
      throw new IllegalStateException("HDFS is not running");
    }
    return c;
  }

  /**
   * Stops HDFS (about 0.2 s); idempotent. Inside a JVM shutdown hook the DataNodes cannot
   * finish: they try to remove their own Hadoop shutdown hook, which throws "Shutdown in
   * progress"; we log that and go on, since the JVM's exit ends them anyway.
   */
  void stop() {
    MiniDFSCluster c = cluster;
    cluster = null;
    if (c != null) {
      try {
        c.shutdown(true);
      } catch (IllegalStateException e) {
        LOG.info("HDFS left to the JVM's exit: {}", e.getMessage());
      }
    }
  }

  /** Prints NameNode and DataNode state; never throws. */
  void printDiagnostics(PrintStream out) {
    MiniDFSCluster c = cluster;
    if (c == null) {
      out.println("HDFS: not running");
      return;
    }
    try {
      out.println("HDFS: NameNode " + c.getURI() + ", in safe mode: " + c.getNameNode().isInSafeMode());
      for (DatanodeInfo dn : c.getFileSystem().getDataNodeStats()) {
        out.println("  DataNode " + dn.getHostName() + " " + dn.getXferAddr() + " rack "
            + dn.getNetworkLocation() + " state " + dn.getAdminState() + " used " + dn.getDfsUsed());
      }
    } catch (Exception | Error e) {
      out.println("HDFS: cannot report (" + e + ")");
    }
  }
}
