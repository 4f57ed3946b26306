package io.weft.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.StorageLevel;
import io.weft.TaskContext;
import io.weft.testing.TestingTaskContexts;
import io.weft.util.SizeEstimator;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block store with a memory budget of about two and a half blocks, so each storage level's
 * eviction rules show: which blocks stay in memory, which go to disk, which are recomputed.
 */
class BlockManagerTest {
  private static final int VALUES_PER_BLOCK = 100;

  @TempDir Path tmp;
  private TestingTaskContexts executor;
  private BlockManager blocks;
  private final Map<String, AtomicInteger> computations = new ConcurrentHashMap<>();
  private final Queue<Integer> storedBy = new ConcurrentLinkedQueue<>();
  private long blockSize;

  @BeforeEach
  void setUp() {
    blockSize = SizeEstimator.estimate(new ArrayList<>(values(0, 0)));
    executor = TestingTaskContexts.create(tmp.resolve("exec"), 1 << 20, blockSize * 5 / 2);
    blocks = executor.blockManager();
  }

  private static List<String> values(int node, int partition) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < VALUES_PER_BLOCK; i++) {
      out.add(node + "/" + partition + "/" + i + "/" + "x".repeat(100));
    }
    return out;
  }

  /** Gets a block through the store, counting how often it had to be computed. */
  private List<String> get(int node, int partition, StorageLevel level, int valuesFactor) {
    TaskContext task = executor.task(partition);
    Iterator<String> it = blocks.getOrCompute(node, partition, level, () -> {
      computations.computeIfAbsent(node + "/" + partition, k -> new AtomicInteger()).incrementAndGet();
      List<String> all = new ArrayList<>();
      for (int f = 0; f < valuesFactor; f++) {
        all.addAll(values(node, partition));
      }
      return all.iterator();
    }, task);
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    task.cachedBlocks().forEach(b -> storedBy.add(b.nodeId()));
    task.markCompleted();
    return out;
  }

  private List<String> get(int node, int partition, StorageLevel level) {
    return get(node, partition, level, 1);
  }

  private int computed(int node, int partition) {
    AtomicInteger n = computations.get(node + "/" + partition);
    return n == null ? 0 : n.get();
  }

  @Test
  void memoryOnlyServesRepeatedReadsFromMemory() {
    TaskContext task = executor.task(0);
    Iterator<Object> first = blocks.getOrCompute(1, 0, StorageLevel.MEMORY_ONLY,
        () -> new ArrayList<Object>(values(1, 0)).iterator(), task);
    first.forEachRemaining(v -> { });
    assertEquals(List.of(new io.weft.storage.BlockId(1, 0)), task.cachedBlocks());
    assertEquals(values(1, 0), get(1, 0, StorageLevel.MEMORY_ONLY));
    assertEquals(0, computed(1, 0));
    assertEquals(1, blocks.blocksInMemory());
    assertEquals(blockSize, blocks.memoryUsed(), blockSize * 0.2);
  }

  @Test
  void memoryOnlyEvictsTheLeastRecentlyUsedBlockOfAnotherNode() {
    get(1, 0, StorageLevel.MEMORY_ONLY);
    get(2, 0, StorageLevel.MEMORY_ONLY);
    get(1, 0, StorageLevel.MEMORY_ONLY); // node 1 is now the most recently used
    assertEquals(values(3, 0), get(3, 0, StorageLevel.MEMORY_ONLY));

    assertTrue(blocks.isInMemory(1, 0));
    assertFalse(blocks.isInMemory(2, 0));
    assertTrue(blocks.isInMemory(3, 0));
    assertEquals(0, blocks.blocksOnDisk());
    assertTrue(blocks.memoryUsed() <= blockSize * 5 / 2);
    assertEquals(values(2, 0), get(2, 0, StorageLevel.MEMORY_ONLY));
    assertEquals(2, computed(2, 0), "a dropped MEMORY_ONLY block is recomputed");
  }

  @Test
  void memoryOnlyNeverEvictsTheSameNodesBlocks() {
    get(1, 0, StorageLevel.MEMORY_ONLY);
    get(1, 1, StorageLevel.MEMORY_ONLY);
    assertEquals(values(1, 2), get(1, 2, StorageLevel.MEMORY_ONLY));
    assertTrue(blocks.isInMemory(1, 0));
    assertTrue(blocks.isInMemory(1, 1));
    assertFalse(blocks.isInMemory(1, 2));
    assertEquals(2, blocks.blocksInMemory());
  }

  @Test
  void memoryOnlyBlockLargerThanTheStoreIsReturnedButNotCached() {
    List<String> got = get(1, 0, StorageLevel.MEMORY_ONLY, 10);
    assertEquals(10 * VALUES_PER_BLOCK, got.size());
    assertEquals(values(1, 0), got.subList(0, VALUES_PER_BLOCK));
    assertEquals(values(1, 0), got.subList(9 * VALUES_PER_BLOCK, 10 * VALUES_PER_BLOCK));
    assertEquals(0, blocks.blocksInMemory());
    assertEquals(0, blocks.memoryUsed());
    assertEquals(0, blocks.blocksOnDisk());
  }

  @Test
  void memoryAndDiskMovesEvictedBlocksToDisk() {
    get(1, 0, StorageLevel.MEMORY_AND_DISK);
    get(2, 0, StorageLevel.MEMORY_AND_DISK);
    get(3, 0, StorageLevel.MEMORY_AND_DISK); // evicts node 1's block to disk
    assertFalse(blocks.isInMemory(1, 0));
    assertTrue(blocks.isOnDisk(1, 0));
    assertEquals(values(1, 0), get(1, 0, StorageLevel.MEMORY_AND_DISK));
    assertEquals(1, computed(1, 0), "read back from disk, not recomputed");
    assertEquals(0, executor.dirs().tempFileCount());
  }

  @Test
  void memoryAndDiskPutsTooBigBlocksOnDisk() {
    List<String> expected = new ArrayList<>();
    for (int f = 0; f < 10; f++) {
      expected.addAll(values(1, 0));
    }
    assertEquals(expected, get(1, 0, StorageLevel.MEMORY_AND_DISK, 10));
    assertTrue(blocks.isOnDisk(1, 0));
    assertEquals(0, blocks.blocksInMemory());
    assertEquals(expected, get(1, 0, StorageLevel.MEMORY_AND_DISK, 10));
    assertEquals(1, computed(1, 0));
  }

  @Test
  void diskOnlyWritesToDiskAndReadsBack() {
    assertEquals(values(1, 0), get(1, 0, StorageLevel.DISK_ONLY));
    assertEquals(values(1, 0), get(1, 0, StorageLevel.DISK_ONLY));
    assertEquals(1, computed(1, 0));
    assertEquals(1, blocks.blocksOnDisk());
    assertEquals(0, blocks.blocksInMemory());
    assertEquals(0, blocks.memoryUsed());
    File[] files = executor.dirs().root().resolve("blocks").toFile().listFiles();
    assertEquals(1, files.length);
    assertEquals(0, executor.dirs().tempFileCount());
  }

  @Test
  void removeNodeDropsMemoryAndDiskBlocks() {
    get(1, 0, StorageLevel.MEMORY_ONLY);
    get(1, 1, StorageLevel.DISK_ONLY);
    get(2, 0, StorageLevel.MEMORY_ONLY);
    blocks.removeNode(1);
    assertFalse(blocks.isInMemory(1, 0));
    assertFalse(blocks.isOnDisk(1, 1));
    assertTrue(blocks.isInMemory(2, 0));
    assertEquals(0, executor.dirs().root().resolve("blocks").toFile().listFiles().length);
    assertEquals(blocks.memoryUsed(), SizeEstimator.estimate(new ArrayList<>(values(2, 0))), blockSize * 0.2);
  }

  @Test
  void concurrentTasksGetCorrectDataAndStoreEachBlockOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 60; t++) {
        final int node = t % 3;
        final StorageLevel level = node == 0 ? StorageLevel.MEMORY_ONLY
            : node == 1 ? StorageLevel.MEMORY_AND_DISK : StorageLevel.DISK_ONLY;
        futures.add(pool.submit(() -> assertEquals(values(node, 0), get(node, 0, level))));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(3, storedBy.size(), "each block stored by exactly one task: " + storedBy);
    assertEquals(3, blocks.blocksInMemory() + blocks.blocksOnDisk());
    assertTrue(blocks.isOnDisk(2, 0));
    assertTrue(blocks.memoryUsed() <= blockSize * 5 / 2);
    assertEquals(0, executor.dirs().tempFileCount());
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void anUnrollThatThrowsGivesItsReservationBack() {
    TaskContext task = executor.task(0);
    Iterator<String> failing = new Iterator<>() {
      private final Iterator<String> values = values(0, 0).iterator();

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public String next() {
        if (!values.hasNext()) {
          throw new IllegalStateException("user code failed"); // or the task was killed
        }
        return values.next();
      }
    };
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> blocks.getOrCompute(0, 0, StorageLevel.MEMORY_ONLY, () -> failing, task));
    assertEquals("user code failed", e.getMessage());
    assertEquals(0, blocks.memoryManager().storageUsed(), "the unroll's reservation is released");
    assertEquals(0, blocks.memoryManager().unrollHeldBy(task.taskAttemptId()));
    task.markCompleted();
    assertEquals(VALUES_PER_BLOCK, get(1, 0, StorageLevel.MEMORY_ONLY).size());
    assertTrue(blocks.isInMemory(1, 0), "the store still has its whole memory");
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void cachedNodesAreReportedWhileTheStoreIsLocked() throws Exception {
    get(0, 0, StorageLevel.MEMORY_ONLY);
    get(1, 0, StorageLevel.DISK_ONLY);
    long inMemory = blocks.memoryUsed();
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      threads.submit(() -> {
        synchronized (blocks.memoryManager().lock()) { // as an eviction writing a block to disk would
          locked.countDown();
          done.await();
        }
        return null;
      });
      assertTrue(locked.await(10, TimeUnit.SECONDS));
      List<BlockManager.NodeCache> report = threads.submit(blocks::nodeCaches).get(10, TimeUnit.SECONDS);
      assertEquals(2, report.size());
      assertEquals(new BlockManager.NodeCache(0, StorageLevel.MEMORY_ONLY, 1, 0, inMemory, 0), report.get(0));
      assertEquals(1, report.get(1).diskPartitions());
      assertEquals(StorageLevel.DISK_ONLY, report.get(1).level());
      assertTrue(report.get(1).diskBytes() > 0);
    } finally {
      done.countDown();
      threads.shutdownNow();
    }
  }
}
