package io.weft.network;

import static io.weft.network.NetworkTesting.HOST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.network.rpc.RpcHandler;
import io.weft.network.shuffle.BlockFetchHandler;
import io.weft.network.shuffle.NettyShuffleBlockFetcher;
import io.weft.shuffle.FetchFailedException;
import io.weft.shuffle.IndexShuffleBlockResolver;
import io.weft.shuffle.MapOutputLocation;
import io.weft.shuffle.fetch.ShuffleBlockFetcher;
import io.weft.storage.LocalDirs;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shuffle blocks between two "executors" in one JVM: B serves its shuffle files over a real
 * socket (zero-copy), A fetches them with {@link NettyShuffleBlockFetcher}, and reads its own
 * blocks from disk.
 */
class TransportBlockFetchTest {
  private static final int SHUFFLE = 3;
  private static final int MAPS = 4;
  private static final int REDUCES = 5;

  @TempDir Path tmp;
  private final byte[] secret = NetworkTesting.newSecret();
  private LocalDirs dirsA;
  private LocalDirs dirsB;
  private byte[][][] blocks; // [map][reduce] -> bytes written by executor B
  private TransportServer serverB;
  private TransportClientFactory clientsA;
  private NettyShuffleBlockFetcher fetcherA;

  @BeforeEach
  void setUp() throws IOException {
    dirsA = new LocalDirs(tmp.resolve("a"));
    dirsB = new LocalDirs(tmp.resolve("b"));
    Random random = new Random(42);
    blocks = new byte[MAPS][REDUCES][];
    for (int m = 0; m < MAPS; m++) {
      for (int r = 0; r < REDUCES; r++) {
        // empty blocks, small ones, and one of 3 MiB so the zero-copy transfer takes many writes
        int size = (m == 2 && r == 2) ? 3 << 20 : (m + r) % 3 == 0 ? 0 : random.nextInt(5000);
        blocks[m][r] = new byte[size];
        random.nextBytes(blocks[m][r]);
      }
      writeMapOutput(dirsB, SHUFFLE, m, blocks[m]);
    }
    serverB = new TransportServer(NetworkTesting.conf(), secret, HOST, 0,
        new BlockFetchHandler(new IndexShuffleBlockResolver(dirsB, 1 << 20), RpcHandler.REJECT_ALL));
    clientsA = new TransportClientFactory(NetworkTesting.conf(), secret, RpcHandler.REJECT_ALL);
    fetcherA = new NettyShuffleBlockFetcher("exec-A", dirsA, new IndexShuffleBlockResolver(dirsA, 1 << 20), clientsA);
  }

  @AfterEach
  void tearDown() {
    clientsA.close();
    serverB.close();
  }

  @Test
  void fetchReturnsExactlyTheRequestedSegments() throws IOException {
    MapOutputLocation atB = new MapOutputLocation("exec-B", HOST, serverB.port());
    for (int m = 0; m < MAPS; m++) {
      for (int r = 0; r < REDUCES; r++) {
        assertArrayEquals(blocks[m][r], readAll(fetcherA.open(atB, SHUFFLE, m, r)), "map " + m + " reduce " + r);
      }
    }
  }

  /** Blocks above the in-memory limit arrive in a temporary file, deleted when the reader closes. */
  @Test
  void largeBlocksAreFetchedIntoAFileAndTheFileIsDeletedOnClose() throws IOException {
    MapOutputLocation atB = new MapOutputLocation("exec-B", HOST, serverB.port());
    try (TransportClientFactory spilling = new TransportClientFactory(
        NetworkTesting.confSpillingAbove(64 * 1024), secret, RpcHandler.REJECT_ALL)) {
      NettyShuffleBlockFetcher fetcher = new NettyShuffleBlockFetcher("exec-A", dirsA,
          new IndexShuffleBlockResolver(dirsA, 1 << 20), spilling);
      assertEquals(3 << 20, blocks[2][2].length);
      InputStream big = fetcher.open(atB, SHUFFLE, 2, 2);
      assertEquals(1, dirsA.tempFileCount(), "the 3 MiB block should be in a file");
      assertArrayEquals(blocks[2][2], readAll(big));
      assertEquals(0, dirsA.tempFileCount(), "closing the stream deletes the file");
      for (int m = 0; m < MAPS; m++) {
        for (int r = 0; r < REDUCES; r++) {
          assertArrayEquals(blocks[m][r], readAll(fetcher.open(atB, SHUFFLE, m, r)), "map " + m + " reduce " + r);
        }
      }
      assertEquals(0, dirsA.tempFileCount());
    }
  }

  /** Every block requested before any is read: the replies wait, each for its own reader. */
  @Test
  void manyRequestsInFlightOnOneConnectionEachGetTheirBlock() throws IOException {
    MapOutputLocation atB = new MapOutputLocation("exec-B", HOST, serverB.port());
    List<ShuffleBlockFetcher.PendingBlock> pending = new ArrayList<>();
    for (int m = 0; m < MAPS; m++) {
      for (int r = 0; r < REDUCES; r++) {
        pending.add(fetcherA.request(atB, SHUFFLE, m, r));
      }
    }
    // read in reverse order: the last request's reply is not mixed up with the first's
    for (int i = pending.size() - 1; i >= 0; i--) {
      int m = i / REDUCES;
      int r = i % REDUCES;
      assertArrayEquals(blocks[m][r], readAll(pending.get(i).await()), "map " + m + " reduce " + r);
    }
  }

  /** A task that ends with blocks still requested frees them: a block received into a file too. */
  @Test
  void releasedRequestsFreeTheirBlocksWhenTheyArrive() throws Exception {
    MapOutputLocation atB = new MapOutputLocation("exec-B", HOST, serverB.port());
    try (TransportClientFactory spilling = new TransportClientFactory(
        NetworkTesting.confSpillingAbove(64 * 1024), secret, RpcHandler.REJECT_ALL)) {
      NettyShuffleBlockFetcher fetcher = new NettyShuffleBlockFetcher("exec-A", dirsA,
          new IndexShuffleBlockResolver(dirsA, 1 << 20), spilling);
      fetcher.request(atB, SHUFFLE, 2, 2).release();
      // replies on a connection arrive in request order, and the released block is freed on the
      // connection's thread as it completes: once the later block is here, the file is gone
      assertArrayEquals(blocks[1][1], readAll(fetcher.request(atB, SHUFFLE, 1, 1).await()));
      assertEquals(0, dirsA.tempFileCount(), "the released 3 MiB block's file is deleted");
    }
  }

  @Test
  void ownBlocksAreReadFromDiskWithoutTheNetwork() throws IOException {
    byte[][] mine = {utf8("zero"), new byte[0], utf8("two")};
    writeMapOutput(dirsA, 7, 0, mine);
    // port 1 is never a block server: a network attempt would fail
    MapOutputLocation atA = new MapOutputLocation("exec-A", HOST, 1);
    assertArrayEquals(mine[2], readAll(fetcherA.open(atA, 7, 0, 2)));
    assertEquals(0, serverB.decodedFrames());
  }

  @Test
  void missingShuffleFileIsAFetchFailure() {
    MapOutputLocation atB = new MapOutputLocation("exec-B", HOST, serverB.port());
    FetchFailedException e = assertThrows(FetchFailedException.class, () -> fetcherA.open(atB, 99, 1, 2));
    assertEquals("exec-B", e.executorId());
    assertEquals(99, e.shuffleId());
    assertEquals(1, e.mapIndex());
    assertEquals(2, e.reduceId());
    assertTrue(e.getMessage().contains("shuffle_99_1.index"), e.getMessage());
  }

  @Test
  void truncatedDataFileIsAFetchFailure() throws IOException {
    byte[][] two = {new byte[100], new byte[100]};
    writeMapOutput(dirsB, 8, 0, two);
    try (FileOutputStream out = new FileOutputStream(dirsB.shuffleDataFile(8, 0))) {
      out.write(new byte[150]); // index says 200
    }
    MapOutputLocation atB = new MapOutputLocation("exec-B", HOST, serverB.port());
    assertArrayEquals(two[0], readAll(fetcherA.open(atB, 8, 0, 0)));
    FetchFailedException e = assertThrows(FetchFailedException.class, () -> fetcherA.open(atB, 8, 0, 1));
    assertTrue(e.getMessage().contains("has 150 bytes"), e.getMessage());
  }

  @Test
  void unreachableExecutorIsAFetchFailure() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    MapOutputLocation gone = new MapOutputLocation("exec-gone", HOST, closedPort);
    FetchFailedException e = assertThrows(FetchFailedException.class, () -> fetcherA.open(gone, SHUFFLE, 0, 1));
    assertEquals("exec-gone", e.executorId());
  }

  @Test
  void concurrentFetchesFromManyTaskThreads() throws Exception {
    MapOutputLocation atB = new MapOutputLocation("exec-B", HOST, serverB.port());
    ExecutorService pool = Executors.newFixedThreadPool(6);
    long start = System.nanoTime();
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int round = 0; round < 10; round++) {
        for (int m = 0; m < MAPS; m++) {
          for (int r = 0; r < REDUCES; r++) {
            int map = m;
            int reduce = r;
            results.add(pool.submit(() -> {
              assertArrayEquals(blocks[map][reduce], readAll(fetcherA.open(atB, SHUFFLE, map, reduce)));
              return null;
            }));
          }
        }
      }
      for (Future<?> f : results) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.printf("%d concurrent block fetches in %d ms%n", 10 * MAPS * REDUCES,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  /** Writes a map output the way the sort shuffle does: data file plus R+1 big-endian offsets. */
  static void writeMapOutput(LocalDirs dirs, int shuffleId, int mapIndex, byte[][] reduceBlocks) throws IOException {
    long offset = 0;
    try (FileOutputStream data = new FileOutputStream(dirs.shuffleDataFile(shuffleId, mapIndex));
        DataOutputStream index = new DataOutputStream(new FileOutputStream(dirs.shuffleIndexFile(shuffleId, mapIndex)))) {
      index.writeLong(0);
      for (byte[] block : reduceBlocks) {
        data.write(block);
        offset += block.length;
        index.writeLong(offset);
      }
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  private static byte[] utf8(String s) {
    return NetworkTesting.utf8(s);
  }

}
