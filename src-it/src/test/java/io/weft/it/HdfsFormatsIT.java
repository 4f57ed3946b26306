package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.executor.ExecutorEnv;
import io.weft.io.FileSplitPartition;
import io.weft.io.avro.AvroFileNode;
import io.weft.io.avro.Users;
import io.weft.io.parquet.ParquetFileNode;
import io.weft.plan.Node;
import io.weft.plan.Partition;
import io.weft.testing.TestingDriverEndpoint;
import io.weft.testing.TestingTasks;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Avro and Parquet files on an embedded HDFS with two DataNodes on distinct loopback hosts and
 * 64 KB blocks: splits follow blocks and prefer exactly the hosts HDFS reports, every record is
 * read once across eight or more splits, and a Parquet projection reads fewer bytes from HDFS.
 */
class HdfsFormatsIT {
  private static final List<String> DATANODE_HOSTS = MiniClusterExtension.TWO_HOSTS;
  private static final int BLOCK_SIZE = 64 * 1024;

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.twoHostHdfs(BLOCK_SIZE);

  @TempDir static Path localDir;
  private static WeftContext ctx;
  private static ExecutorEnv env;

  @BeforeAll
  static void setUp() {
    ctx = TestingTasks.newContext();
    env = TestingTasks.executorEnv(localDir, new TestingDriverEndpoint());
  }

  @Test
  void avroSplitsFollowBlocksWithTheirHostsAndReadEveryRecordOnce() throws IOException {
    List<GenericRecord> users = Users.users(30_000);
    String file = CLUSTER.hdfsPath("/data/users.avro");
    FileSystem fs = CLUSTER.fileSystem();
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(file));
        DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<>(Users.SCHEMA))) {
      w.setSyncInterval(4096);
      w.create(Users.SCHEMA, out);
      for (GenericRecord u : users) {
        w.append(u);
      }
    }

    AvroFileNode<GenericRecord> node = new AvroFileNode<>(ctx, file, 1, null, null, CLUSTER.configuration());

    List<List<GenericRecord>> parts = checkSplits(node, fs, file);
    assertEquals(Users.json(users), Users.json(parts.stream().flatMap(List::stream).toList()));
    assertTrue(parts.stream().filter(p -> !p.isEmpty()).count() >= 8, "non-empty splits");
  }

  @Test
  void parquetRowGroupsAreReadOnceAcrossBlocksAndProjectionReadsFewerBytes() throws IOException {
    List<GenericRecord> users = Users.users(60_000);
    String file = CLUSTER.hdfsPath("/data/users.parquet");
    try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(
            HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file), CLUSTER.configuration()))
        .withSchema(Users.SCHEMA)
        // Parquet asks HDFS for blocks of max(row group size, default block size): keep them small
        .withRowGroupSize((long) BLOCK_SIZE)
        .withRowGroupRowCountLimit(3_000)
        .build()) {
      for (GenericRecord u : users) {
        w.write(u);
      }
    }
    FileSystem fs = CLUSTER.fileSystem();

    ParquetFileNode<GenericRecord> node = new ParquetFileNode<>(ctx, file, 1, null, null, CLUSTER.configuration());
    List<List<GenericRecord>> parts = checkSplits(node, fs, file);
    assertEquals(Users.json(users), Users.json(parts.stream().flatMap(List::stream).toList()));

    Schema idOnly = SchemaBuilder.record("TestUser").namespace("io.weft.io.avro").fields()
        .requiredLong("id").endRecord();
    long all = bytesRead(node);
    long projected = bytesRead(new ParquetFileNode<>(ctx, file, 1, idOnly, null, CLUSTER.configuration()));
    System.out.printf("HDFS parquet: all 4 columns %d bytes, id only %d bytes%n", all, projected);
    assertTrue(projected * 2 < all, projected + " vs " + all);
  }

  /** Checks tiling, split count and hosts; returns each split's records. */
  private static List<List<GenericRecord>> checkSplits(Node<GenericRecord> node, FileSystem fs, String file)
      throws IOException {
    FileStatus status = fs.getFileStatus(new org.apache.hadoop.fs.Path(file));
    assertEquals(BLOCK_SIZE, status.getBlockSize());
    int blocks = (int) ((status.getLen() + BLOCK_SIZE - 1) / BLOCK_SIZE);
    assertTrue(blocks >= 8, "the file needs 8 blocks, has " + blocks);
    assertEquals(blocks, node.numPartitions(), "one split per block");
    Set<String> seen = new HashSet<>();
    List<List<GenericRecord>> parts = new ArrayList<>();
    for (Partition p : node.partitions()) {
      FileSplitPartition split = (FileSplitPartition) p;
      Set<String> expected = blockHosts(fs, status, split.start(), split.length());
      assertEquals(expected, new HashSet<>(node.preferredLocations(p)), "hosts of " + split);
      seen.addAll(expected);
      TaskContext task = TestingTasks.task(env, p.index(), 0);
      List<GenericRecord> records = new ArrayList<>();
      try {
        node.compute(p, task).forEachRemaining(records::add);
      } finally {
        task.markCompleted();
      }
      parts.add(records);
    }
    assertTrue(DATANODE_HOSTS.containsAll(seen) && !seen.isEmpty(), "block hosts " + seen);
    return parts;
  }

  private static long bytesRead(Node<GenericRecord> node) {
    long bytes = 0;
    for (Partition p : node.partitions()) {
      TaskContext task = TestingTasks.task(env, p.index(), 0);
      try {
        node.compute(p, task).forEachRemaining(r -> { });
      } finally {
        task.markCompleted();
      }
      bytes += task.metrics().inputBytes();
    }
    return bytes;
  }

  private static Set<String> blockHosts(FileSystem fs, FileStatus file, long start, long length) throws IOException {
    Set<String> hosts = new HashSet<>();
    for (BlockLocation block : fs.getFileBlockLocations(file, start, length)) {
      if (block.getOffset() < start + length && start < block.getOffset() + block.getLength()) {
        hosts.addAll(Arrays.asList(block.getHosts()));
      }
    }
    return hosts;
  }
}
