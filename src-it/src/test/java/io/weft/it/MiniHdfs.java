package io.weft.it;

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

/**
 * HDFS for integration tests: a {@link MiniDFSCluster} with one NameNode and the requested
 * DataNodes, optionally each with its own loopback host name ({@code 127.0.0.2}, ...) and rack,
 * so block locations name distinct hosts as on a real cluster.
 *
 * <p>Known quirks it handles (docs/HADOOP-NOTES.md): MiniDFSCluster maps every custom host
 * name to {@code localhost} for the whole JVM, which we undo right after start (otherwise a
 * service dialing that host by name reaches 127.0.0.1); a small block size needs the NameNode's
 * minimum block size lowered.
 *
 * <p>Threading: JUnit thread only. Failure: a start failure propagates; stop never throws.
 */
final class MiniHdfs implements ClusterComponent {
  private final int dataNodes;
  private final List<String> hosts;
  private final List<String> racks;
  private final long blockSize;
  private final int replication;
  private MiniDFSCluster cluster;

  MiniHdfs(int dataNodes, List<String> hosts, List<String> racks, long blockSize, int replication) {
    this.dataNodes = dataNodes;
    this.hosts = hosts;
    this.racks = racks;
    this.blockSize = blockSize;
    this.replication = replication;
  }

  @Override
  public String name() {
    return "HDFS";
  }

  @Override
  public void start(Configuration conf, Path workDir) throws Exception {
    conf.setLong(DFSConfigKeys.DFS_BLOCK_SIZE_KEY, blockSize);
    // The NameNode refuses blocks under 1 MB by default; tests want many small blocks.
    conf.setLong(DFSConfigKeys.DFS_NAMENODE_MIN_BLOCK_SIZE_KEY, 0);
    conf.setInt(DFSConfigKeys.DFS_REPLICATION_KEY, replication);
    MiniDFSCluster.Builder builder = new MiniDFSCluster.Builder(conf, workDir.toFile())
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
    // Clients must find the NameNode through the shared conf, whatever it had before.
    conf.set(DFSConfigKeys.FS_DEFAULT_NAME_KEY, uri().toString());
  }

  MiniDFSCluster cluster() {
    return cluster;
  }

  DistributedFileSystem fileSystem() throws java.io.IOException {
    return cluster.getFileSystem();
  }

  /** {@code hdfs://localhost:port} of the NameNode. */
  URI uri() {
    return cluster.getURI();
  }

  @Override
  public void stop() {
    if (cluster != null) {
      cluster.shutdown(true);
      cluster = null;
    }
  }

  @Override
  public void printDiagnostics(PrintStream out) {
    if (cluster == null) {
      out.println("HDFS: not running");
      return;
    }
    try {
      out.println("HDFS: NameNode " + uri() + ", in safe mode: " + cluster.getNameNode().isInSafeMode());
      for (DatanodeInfo dn : cluster.getFileSystem().getDataNodeStats()) {
        out.println("  DataNode " + dn.getHostName() + " " + dn.getXferAddr() + " rack "
            + dn.getNetworkLocation() + " state " + dn.getAdminState() + " used " + dn.getDfsUsed());
      }
    } catch (Exception | Error e) {
      out.println("HDFS: cannot report (" + e + ")");
    }
  }
}
