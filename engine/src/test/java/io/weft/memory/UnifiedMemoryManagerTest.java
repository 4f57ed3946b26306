package io.weft.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.executor.TaskInterruptedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fairness policy and the borrowing between execution and storage, on a pool of 1000 bytes.
 * Waiting is observed through the manager's own count of waiting requests, never by sleeping.
 */
@Timeout(60)
class UnifiedMemoryManagerTest {
  private static final long POOL = 1000;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void aTaskAloneMayTakeTheWholePool() {
    UnifiedMemoryManager m = new UnifiedMemoryManager(POOL, 0, POOL, POOL);
    assertEquals(POOL, m.acquireExecution(1, 5000));
    assertEquals(POOL, m.executionHeldBy(1));
    assertEquals(POOL, m.highWaterMark());
  }

  @Test
  void withNTasksEachIsCappedAtOneNth() {
    UnifiedMemoryManager m = new UnifiedMemoryManager(POOL, 0, POOL, POOL);
    assertEquals(600, m.acquireExecution(1, 600));
    assertEquals(300, m.acquireExecution(2, 300)); // 400 free, 1/2 = 500 allowed
    assertEquals(0, m.acquireExecution(1, 100), "task 1 holds more than 1/2 already: it spills, it does not wait");
    assertEquals(100, m.acquireExecution(2, 500), "only 100 are free");
    m.releaseExecution(1, 600);
    m.releaseExecution(2, 400);
    m.acquireExecution(3, 1);
    m.acquireExecution(4, 1);
    m.acquireExecution(3, POOL);
    assertEquals(POOL / 4, m.executionHeldBy(3), "4 tasks: at most 1/4 each");
  }

  @Test
  void aTaskBelowHalfItsShareWaitsUntilAnotherReleases() throws Exception {
    UnifiedMemoryManager m = new UnifiedMemoryManager(POOL, 0, POOL, POOL);
    assertEquals(POOL, m.acquireExecution(1, POOL));
    CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> m.acquireExecution(2, 200), threads);
    awaitTrue(() -> m.waitingRequests() == 1, "task 2 waits: it holds less than 1/(2N) and nothing is free");
    assertFalse(second.isDone());
    m.releaseExecution(1, 300);
    assertEquals(200, second.get(10, TimeUnit.SECONDS));
    assertEquals(POOL - 300 + 200, m.executionUsed());
    assertTrue(m.highWaterMark() <= POOL);
  }

  @Test
  void waitersAreServedWhenATaskEndsAndTheirSumStaysWithinThePool() throws Exception {
    UnifiedMemoryManager m = new UnifiedMemoryManager(POOL, 0, POOL, POOL);
    m.acquireExecution(1, POOL);
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<Long>> waiters = new ArrayList<>();
    for (long t = 2; t <= 4; t++) {
      long task = t;
      waiters.add(CompletableFuture.supplyAsync(() -> {
        awaitLatch(start);
        return m.acquireExecution(task, 400);
      }, threads));
    }
    start.countDown();
    awaitTrue(() -> m.waitingRequests() == 3, "three tasks wait for the first one");
    assertEquals(POOL, m.releaseAllExecution(1), "task 1 ended holding all it had: freed as a leak");
    long total = 0;
    for (CompletableFuture<Long> w : waiters) {
      long got = w.get(10, TimeUnit.SECONDS);
      assertTrue(got >= POOL / 6 && got <= POOL / 3, "each gets between 1/2N and 1/N of the pool: " + got);
      total += got;
    }
    assertEquals(total, m.executionUsed());
    assertTrue(m.highWaterMark() <= POOL, "never more granted than the pool: " + m.highWaterMark());
    assertEquals(POOL, m.leakedBytes());
  }

  @Test
  void aWaitingTaskThatIsInterruptedStopsWaiting() throws Exception {
    UnifiedMemoryManager m = new UnifiedMemoryManager(POOL, 0, POOL, POOL);
    m.acquireExecution(1, POOL);
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread waiter = new Thread(() -> {
      try {
        m.acquireExecution(2, 100);
        failure.complete(null);
      } catch (Throwable t) {
        failure.complete(t);
      }
    });
    waiter.start();
    awaitTrue(() -> m.waitingRequests() == 1, "task 2 waits");
    waiter.interrupt();
    assertInstanceOf(TaskInterruptedException.class, failure.get(10, TimeUnit.SECONDS));
    assertEquals(0, m.waitingRequests());
  }

  @Test
  void storageBorrowsFreeMemoryAndExecutionEvictsItDownToTheStorageRegion() {
    UnifiedMemoryManager m = new UnifiedMemoryManager(POOL, 300, POOL, POOL);
    Blocks blocks = new Blocks(m);
    for (int node = 0; node < 8; node++) {
      assertTrue(m.acquireStorage(100, node));
      blocks.sizes.put(node, 100L);
    }
    assertEquals(800, m.storageUsed());
    assertEquals(700, m.acquireExecution(1, 700), "200 free plus 500 evicted from storage above its region");
    assertEquals(300, m.storageUsed());
    assertEquals(List.of(5, 6, 7), new ArrayList<>(blocks.sizes.keySet()), "least recently stored evicted first");
    assertEquals(0, m.acquireExecution(1, 100), "the storage region is safe from execution");
    assertTrue(m.acquireStorage(100, 9), "a new block evicts an older one");
    assertEquals(List.of(6, 7), new ArrayList<>(blocks.sizes.keySet()));
    assertFalse(m.acquireStorage(400, 10), "storage never takes execution's memory");
    assertEquals(700, m.executionUsed());
    assertEquals(300, m.storageUsed());
    assertTrue(m.highWaterMark() <= POOL);
  }

  @Test
  void storageEvictsOtherNodesBlocksButNeverTheNodeBeingStored() {
    UnifiedMemoryManager m = new UnifiedMemoryManager(POOL, POOL, 0, POOL);
    Blocks blocks = new Blocks(m);
    assertTrue(m.acquireStorage(600, 1));
    blocks.sizes.put(1, 600L);
    assertFalse(m.acquireStorage(500, 1), "the only evictable block is of the same node");
    assertEquals(600, m.storageUsed(), "nothing evicted for a store that cannot fit");
    assertTrue(m.acquireStorage(500, 2));
    assertEquals(500, m.storageUsed());
    assertEquals(List.of(), new ArrayList<>(blocks.sizes.keySet()));
  }

  @Test
  void configurationMapsTheLegacySettingsOntoThePool() {
    long heap = 1000L << 20;
    UnifiedMemoryManager defaults = UnifiedMemoryManager.fromConf(new WeftConf(false), heap);
    assertEquals((long) (heap * 0.3) * 2, defaults.poolBytes(), "shuffle 0.3 + storage 0.3 of the heap");
    assertEquals((long) (heap * 0.3), defaults.storageRegionBytes());

    UnifiedMemoryManager sized = UnifiedMemoryManager.fromConf(new WeftConf(false)
        .set("weft.memory.size", "10m").set("weft.memory.storageFraction", "0.2")
        .set("weft.shuffle.memory", "1m"), heap);
    assertEquals(10L << 20, sized.poolBytes());
    assertEquals(2L << 20, sized.storageRegionBytes());
    assertEquals(10L << 20, sized.acquireExecution(1, 20L << 20),
        "weft.memory.size lifts the legacy cap; the storage region keeps only blocks that are cached");

    UnifiedMemoryManager legacy = UnifiedMemoryManager.fromConf(new WeftConf(false)
        .set("weft.shuffle.memory", "1m").set("weft.storage.memory", "3m"), heap);
    assertEquals(4L << 20, legacy.poolBytes());
    assertEquals(3L << 20, legacy.storageRegionBytes());
    assertEquals(1L << 20, legacy.acquireExecution(1, 20L << 20), "an explicit weft.shuffle.memory caps execution");
  }

  /** Cached blocks by node in least-recently-stored order; evicts from the front. */
  private static final class Blocks implements UnifiedMemoryManager.Evictor {
    final Map<Integer, Long> sizes = new LinkedHashMap<>();
    private final UnifiedMemoryManager m;

    Blocks(UnifiedMemoryManager m) {
      this.m = m;
      m.setEvictor(this);
    }

    @Override
    public long evict(long bytes, int keepNodeId) {
      long freed = 0;
      var it = sizes.entrySet().iterator();
      while (it.hasNext() && freed < bytes) {
        var e = it.next();
        if (e.getKey() != keepNodeId) {
          freed += e.getValue();
          m.releaseStorage(e.getValue());
          it.remove();
        }
      }
      return freed;
    }

    @Override
    public long evictable(int keepNodeId) {
      return sizes.entrySet().stream().filter(e -> e.getKey() != keepNodeId).mapToLong(Map.Entry::getValue).sum();
    }
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Polls the manager's own state (the event itself), bounded by 10 s. */
  @Test
  void storageNoBlockAccountsForIsNotCountedAsReachableSoTwoTasksDoNotWaitForEachOther() throws Exception {
    // pool 100, region 50, 80 reserved that nothing can evict (an unroll in progress): execution
    // can reach 20, so each of 2 tasks is sure of 5, not of 12.5 of an imagined 50
    UnifiedMemoryManager m = new UnifiedMemoryManager(100, 50, 100, 100);
    assertTrue(m.acquireUnroll(9, 80, 0));
    assertEquals(10, m.acquireExecution(1, 10));
    assertEquals(10, m.acquireExecution(2, 10));
    CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> m.acquireExecution(1, 10), threads);
    CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> m.acquireExecution(2, 10), threads);
    assertEquals(0, first.get(10, TimeUnit.SECONDS), "holds its half of 20: spills rather than waits");
    assertEquals(0, second.get(10, TimeUnit.SECONDS));
    assertEquals(0, m.waitingRequests());
  }

  @Test
  void aTaskAloneNeverWaitsForStorageItCannotEvict() throws Exception {
    // reduceByKey(..).coalesce(2).cache(): the task's own unroll holds most of the pool
    UnifiedMemoryManager m = new UnifiedMemoryManager(100, 0, 100, 100);
    assertTrue(m.acquireUnroll(1, 90, 0));
    CompletableFuture<Long> grant = CompletableFuture.supplyAsync(() -> m.acquireExecution(1, 50), threads);
    assertEquals(10, grant.get(10, TimeUnit.SECONDS), "what is free, without waiting on its own unroll");
    // a leak (storage reserved outside any unroll, with no block to evict) is no different
    UnifiedMemoryManager leaked = new UnifiedMemoryManager(100, 0, 100, 100);
    assertTrue(leaked.acquireStorage(90, 0));
    assertEquals(10, CompletableFuture.supplyAsync(() -> leaked.acquireExecution(1, 50), threads)
        .get(10, TimeUnit.SECONDS));
  }

  @Test
  void releasingAnUnrollWakesAWaitingRequest() throws Exception {
    UnifiedMemoryManager m = new UnifiedMemoryManager(POOL, 0, POOL, POOL);
    assertTrue(m.acquireUnroll(3, 400, 0));
    assertEquals(600, m.acquireExecution(1, 600));
    CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> m.acquireExecution(2, 200), threads);
    awaitTrue(() -> m.waitingRequests() == 1, "task 2 waits: under 1/(2N) of the 600 reachable, nothing free");
    m.releaseUnroll(3, 400);
    assertEquals(200, second.get(10, TimeUnit.SECONDS), "the freed unroll ends the wait");
    assertEquals(0, m.unrollHeldBy(3));
    assertEquals(0, m.storageUsed());
  }

  @Test
  void aTaskEndingWithAnUnrollReservationHasItFreed() {
    UnifiedMemoryManager m = new UnifiedMemoryManager(POOL, 0, POOL, POOL);
    assertTrue(m.acquireUnroll(1, 300, 0));
    assertTrue(m.acquireUnroll(1, 100, 0));
    assertEquals(400, m.storageUsed());
    assertEquals(400, m.releaseAllUnroll(1));
    assertEquals(0, m.storageUsed());
    assertEquals(0, m.unrollHeldBy(1));
    assertEquals(0, m.releaseAllUnroll(1));
  }

  @Test
  void aReleaseAfterTheTaskEndedDoesNotMakeItActiveAgain() {
    UnifiedMemoryManager m = new UnifiedMemoryManager(POOL, 0, POOL, POOL);
    assertEquals(100, m.acquireExecution(1, 100));
    m.releaseAllExecution(1);
    m.releaseExecution(1, 100);
    assertEquals(0, m.activeTasks());
    assertEquals(0, m.executionUsed());
  }

  @Test
  void usageIsReadableWhileTheLockIsHeld() throws Exception {
    UnifiedMemoryManager m = new UnifiedMemoryManager(POOL, 0, POOL, POOL);
    m.acquireExecution(1, 100);
    m.acquireStorage(200, 0);
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    threads.submit(() -> {
      synchronized (m.lock()) { // as an eviction writing a block to disk would
        locked.countDown();
        done.await();
      }
      return null;
    });
    assertTrue(locked.await(10, TimeUnit.SECONDS));
    try {
      CompletableFuture<long[]> read = CompletableFuture.supplyAsync(
          () -> new long[] {m.executionUsed(), m.storageUsed()}, threads);
      long[] usage = read.get(10, TimeUnit.SECONDS);
      assertEquals(100, usage[0]);
      assertEquals(200, usage[1]);
    } finally {
      done.countDown();
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting until: " + what);
      Thread.sleep(1);
    }
  }
}
