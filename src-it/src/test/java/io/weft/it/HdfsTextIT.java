package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftContext;
import io.weft.executor.ExecutorEnv;
import io.weft.io.InvalidInputException;
import io.weft.io.IoTestAccess;
import io.weft.io.OutputAlreadyExistsException;
import io.weft.io.TextFileNode;
import io.weft.io.TextFilePartition;
import io.weft.plan.Partition;
import io.weft.testing.TestingDriverEndpoint;
import io.weft.testing.TestingJobRunner;
import io.weft.testing.TestingListNode;
import io.weft.testing.TestingTasks;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text input and output on a real (embedded) HDFS with two DataNodes on distinct loopback
 * hosts and small blocks: splits follow blocks and carry the hosts HDFS reports for them, every
 * line is read exactly once, and saved output commits to exactly the part files.
 */
class HdfsTextIT {
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
  void splitsFollowBlocksCarryTheirHostsAndReadEveryLineOnce() throws IOException {
    List<String> lines = IntStream.range(0, 40_000).mapToObj(i -> "line " + i).toList();
    String file = CLUSTER.hdfsPath("/data/in.txt");
    write(file, lines);
    FileSystem fs = CLUSTER.fileSystem();
    FileStatus status = fs.getFileStatus(new org.apache.hadoop.fs.Path(file));
    int blocks = (int) ((status.getLen() + BLOCK_SIZE - 1) / BLOCK_SIZE);
    assertTrue(blocks >= 5, "test needs several blocks, has " + blocks);

    TextFileNode node = IoTestAccess.textFile(ctx, file, 1, CLUSTER.configuration());

    assertEquals(blocks, node.numPartitions(), "one split per block when minPartitions is small");
    Set<String> seenHosts = new HashSet<>();
    for (Partition p : node.partitions()) {
      TextFilePartition split = (TextFilePartition) p;
      assertTrue(split.path().startsWith(CLUSTER.hdfsUri().toString()), split.path());
      Set<String> expected = blockHosts(fs, status, split.start(), split.length());
      assertEquals(expected, new HashSet<>(node.preferredLocations(p)), "hosts of " + split);
      seenHosts.addAll(expected);
    }
    assertTrue(DATANODE_HOSTS.containsAll(seenHosts), "block hosts " + seenHosts);
    assertEquals(lines, TestingTasks.readAll(node, env));
  }

  @Test
  void moreSplitsThanBlocksWhenAsked() throws IOException {
    List<String> lines = IntStream.range(0, 20_000).mapToObj(i -> "row-" + i).toList();
    String file = CLUSTER.hdfsPath("/data/many.txt");
    write(file, lines);

    TextFileNode node = IoTestAccess.textFile(ctx, file, 16, CLUSTER.configuration());

    assertTrue(node.numPartitions() >= 15, "partitions " + node.numPartitions());
    assertEquals(lines, TestingTasks.readAll(node, env));
  }

  @Test
  void missingInputFailsBeforeAnyTaskNamingTheHdfsPath() {
    String missing = CLUSTER.hdfsPath("/no/such/input");
    TextFileNode node = IoTestAccess.textFile(ctx, missing, 2, CLUSTER.configuration());

    InvalidInputException e = assertThrows(InvalidInputException.class, node::partitions);

    assertEquals("Input path does not exist: " + missing, e.getMessage());
  }

  @Test
  void savedOutputHasExactlyThePartFilesAndExistingOutputIsRefused() throws IOException {
    String out = CLUSTER.hdfsPath("/results/out");
    TestingListNode<Integer> node = TestingListNode.of(ctx, List.of(List.of(1, 2), List.of(3)));
    TestingJobRunner runner = new TestingJobRunner(env);

    IoTestAccess.saveAsTextFile(runner, CLUSTER.configuration(), node, out, i -> "v" + i);

    FileSystem fs = CLUSTER.fileSystem();
    List<String> names = Arrays.stream(fs.listStatus(new org.apache.hadoop.fs.Path(out)))
        .map(s -> s.getPath().getName()).sorted().toList();
    assertEquals(List.of("_SUCCESS", "part-00000", "part-00001"), names);
    assertEquals(List.of("v1", "v2", "v3"), TestingTasks.readAll(IoTestAccess.textFile(ctx, out, 1, CLUSTER.configuration()), env));

    OutputAlreadyExistsException e = assertThrows(OutputAlreadyExistsException.class,
        () -> IoTestAccess.saveAsTextFile(runner, CLUSTER.configuration(), node, out, i -> "again"));
    assertEquals("Output directory " + out + " already exists", e.getMessage());
    assertFalse(fs.exists(new org.apache.hadoop.fs.Path(out, "_temporary")));
  }

  private static void write(String file, List<String> lines) throws IOException {
    FileSystem fs = CLUSTER.fileSystem();
    try (OutputStream os = fs.create(new org.apache.hadoop.fs.Path(file), false)) {
      for (String line : lines) {
        os.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /** The hosts HDFS reports for the blocks overlapping [start, start + length). */
  private static Set<String> blockHosts(FileSystem fs, FileStatus file, long start, long length) throws IOException {
    Set<String> hosts = new HashSet<>();
    RemoteIterator<LocatedFileStatus> it = fs.listLocatedStatus(file.getPath());
    while (it.hasNext()) {
      for (BlockLocation block : it.next().getBlockLocations()) {
        if (block.getOffset() < start + length && start < block.getOffset() + block.getLength()) {
          hosts.addAll(Arrays.asList(block.getHosts()));
        }
      }
    }
    return hosts;
  }

}
