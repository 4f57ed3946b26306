package io.weft.memory;

import io.weft.WeftConf;
import io.weft.config.MemoryOptions;
import io.weft.config.ShuffleOptions;
import io.weft.config.StorageOptions;
import io.weft.executor.TaskInterruptedException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One executor's memory: a single pool shared by <em>execution</em> (the buffers of sorters,
 * aggregation maps and join build sides, granted per task) and <em>storage</em> (cached blocks),
 * after Spark's {@code UnifiedMemoryManager}.
 *
 * <p>Execution: with N tasks holding or asking for execution memory, a task may hold at most
 * 1/N of what execution can reach (the pool less the storage it may not evict: cached blocks
 * within the storage region, and blocks being unrolled, wherever they are) and is always able to
 * reach 1/(2N) of it: a request that would leave it under 1/(2N) while nothing is free waits
 * until another task releases memory (or ends), but only while another task holds execution
 * memory (only a release can end a wait); otherwise it returns what it can, possibly less than
 * asked (even 0), and the consumer spills. Execution takes free memory first,
 * then evicts cached blocks, but never below the storage region ({@code
 * weft.memory.storageFraction} of the pool): blocks within it are safe from execution.
 *
 * <p>Storage: a block is unrolled against a reservation of its task ({@link #acquireUnroll}),
 * which execution cannot evict and which becomes the block's storage once it is stored; a task
 * that ends still holding one has it freed. A block is admitted against free memory, which includes memory execution does not
 * use right now (borrowing), and may evict other cached blocks (never blocks of the dataset
 * being stored, see {@link Evictor}). Storage never takes memory execution holds: once execution
 * grows again, it evicts the borrowed blocks back.
 *
 * <p>Example: pool 100 MB, storage region 50 MB. Cached blocks fill 90 MB while nothing runs.
 * Task 1, alone, asks 30 MB: execution can reach 50 MB (100 less the 50 MB region), so it may
 * hold all 30; 10 are free and 20 more are evicted (storage 90 → 70 MB). Task 2 arrives and asks
 * 60 MB: each may now hold 25 MB (1/N of 50) and is sure of 12.5 (1/(2N)); nothing is free,
 * storage can give 20 (down to its region), so task 2 gets 20 and spills beyond them. Task 1's
 * next request gets nothing (it holds more than 25 MB), so it spills and gives its 30 back.
 *
 * <p>Threading: thread-safe; one monitor ({@link #lock()}) guards all accounting and is also the
 * block store's lock, so evicting under it cannot deadlock against a store waiting for memory.
 * Waiting execution requests release it while they wait.
 */
public final class UnifiedMemoryManager {
  private static final Logger LOG = LoggerFactory.getLogger(UnifiedMemoryManager.class);

  /** Frees cached blocks on request; implemented by the block store. */
  public interface Evictor {
    /**
     * Evicts least recently used blocks until at least {@code bytes} are freed or none is left
     * to evict, skipping blocks of node {@code keepNodeId} (-1: skip none). Called with
     * {@link #lock()} held; calls {@link #releaseStorage} for what it frees. Returns bytes freed.
     */
    long evict(long bytes, int keepNodeId);

    /** Bytes {@link #evict} could free at most, skipping node {@code keepNodeId}. Called with the lock held. */
    long evictable(int keepNodeId);
  }

  private final Object lock = new Object();
  private final long poolBytes;
  private final long storageRegionBytes;
  private final long executionCap;
  private final long storageCap;
  private final Map<Long, Long> executionByTask = new HashMap<>();
  /** Storage reserved by each task's block unrolls in progress: not evictable until stored. */
  private final Map<Long, Long> unrollByTask = new HashMap<>();
  // volatile: written under the lock, read without it by status reports (heartbeats must not
  // wait behind an eviction that writes a block to disk under the lock)
  private volatile long executionUsed;
  private volatile long storageUsed;
  /** Part of storageUsed reserved by unrolls in progress (not evictable). */
  private long unrollUsed;
  private long highWaterMark;
  private long leakedBytes;
  private int waiting;
  private Evictor evictor = new Evictor() {
    @Override
    public long evict(long bytes, int keepNodeId) {
      return 0;
    }

    @Override
    public long evictable(int keepNodeId) {
      return 0;
    }
  };

  /**
   * @param poolBytes the whole pool
   * @param storageRegionBytes storage that execution may not evict
   * @param executionCap most execution may hold (the pool unless a legacy shuffle size caps it)
   * @param storageCap most storage may hold (the pool unless a legacy storage size caps it)
   */
  public UnifiedMemoryManager(long poolBytes, long storageRegionBytes, long executionCap, long storageCap) {
    if (poolBytes <= 0) {
      throw new IllegalArgumentException("memory pool must be positive, got " + poolBytes);
    }
    this.poolBytes = poolBytes;
    this.storageRegionBytes = Math.min(Math.max(0, storageRegionBytes), poolBytes);
    this.executionCap = Math.min(executionCap, poolBytes);
    this.storageCap = Math.min(storageCap, poolBytes);
  }

  /** A pool only for execution memory (benchmarks and tests that build an executor by hand). */
  public static UnifiedMemoryManager executionOnly(long bytes) {
    return new UnifiedMemoryManager(bytes, 0, bytes, 0);
  }

  /** A pool only for cached blocks (tests that build a block store by hand). */
  public static UnifiedMemoryManager storageOnly(long bytes) {
    return new UnifiedMemoryManager(bytes, bytes, 0, bytes);
  }

  /**
   * The pool of an executor whose heap is {@code maxHeap} bytes. {@code weft.memory.size} sets
   * the pool; else it is the sum of the legacy shuffle and storage sizes (each its explicit
   * {@code weft.shuffle.memory} / {@code weft.storage.memory} or its fraction of the heap). The
   * storage region is {@code weft.memory.storageFraction} of the pool, else the legacy storage
   * size. An explicitly set legacy size also caps its side, so configurations written for the
   * static split keep their spill thresholds.
   */
  public static UnifiedMemoryManager fromConf(WeftConf conf, long maxHeap) {
    Long legacyShuffle = conf.get(ShuffleOptions.MEMORY);
    Long legacyStorage = conf.get(StorageOptions.MEMORY);
    long shuffle = legacyShuffle != null ? legacyShuffle : (long) (maxHeap * conf.get(ShuffleOptions.MEMORY_FRACTION));
    long storage = legacyStorage != null ? legacyStorage : (long) (maxHeap * conf.get(StorageOptions.MEMORY_FRACTION));
    Long size = conf.get(MemoryOptions.SIZE);
    long pool = size != null ? size : shuffle + storage;
    Double storageFraction = conf.get(MemoryOptions.STORAGE_FRACTION);
    long region = storageFraction != null ? (long) (pool * storageFraction)
        : (long) ((double) storage / (shuffle + storage) * pool);
    return new UnifiedMemoryManager(pool, region,
        size == null && legacyShuffle != null ? legacyShuffle : pool,
        size == null && legacyStorage != null ? legacyStorage : pool);
  }

  /** The monitor that guards this manager; the block store uses it as its own lock. */
  public Object lock() {
    return lock;
  }

  /** Sets who evicts cached blocks when memory is needed (the executor's block store). */
  public void setEvictor(Evictor evictor) {
    synchronized (lock) {
      this.evictor = evictor;
    }
  }

  /**
   * Grants up to {@code bytes} of execution memory to task {@code taskId}: all of it, or less
   * (even 0) when the task is at its 1/N share or memory is short, in which case the caller
   * spills. Waits while the task would stay under 1/(2N) of the pool, nothing is free and another
   * task holds execution memory (whose release ends the wait).
   *
   * @throws TaskInterruptedException if the task's thread is interrupted while waiting
   */
  public long acquireExecution(long taskId, long bytes) {
    if (bytes <= 0) {
      return 0;
    }
    synchronized (lock) {
      if (!executionByTask.containsKey(taskId)) {
        executionByTask.put(taskId, 0L);
        lock.notifyAll(); // the others' shares shrink: a waiter may re-check
      }
      while (true) {
        int active = executionByTask.size();
        long held = executionByTask.get(taskId);
        long maxPerTask = executionLimit() / active;
        long minPerTask = executionLimit() / (2L * active);
        long wanted = Math.min(bytes, Math.max(0, maxPerTask - held));
        long free = executionFree();
        if (free < wanted) {
          free += reclaimStorage(wanted - free);
        }
        long granted = Math.min(wanted, free);
        if (granted < bytes && held + granted < minPerTask && othersHoldExecution(taskId)) {
          LOG.debug("task {} waits for execution memory ({} held, {} asked, {} tasks)", taskId, held, bytes, active);
          waitForRelease();
          continue;
        }
        executionByTask.put(taskId, held + granted);
        executionUsed += granted;
        noteUsage();
        return granted;
      }
    }
  }

  /**
   * Whether a task other than {@code taskId} holds execution memory: only its release can end a
   * wait (storage that execution cannot evict, such as an unroll of this very task, may never be
   * freed while the task waits), so without one the request returns what it can and the caller spills.
   */
  private boolean othersHoldExecution(long taskId) {
    for (Map.Entry<Long, Long> e : executionByTask.entrySet()) {
      if (e.getKey() != taskId && e.getValue() > 0) {
        return true;
      }
    }
    return false;
  }

  private void waitForRelease() {
    waiting++;
    try {
      lock.wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskInterruptedException();
    } finally {
      waiting--;
    }
  }

  /**
   * Most execution could hold now: the pool (or its cap) less the storage it may not evict
   * (cached blocks within the storage region, and unrolls in progress wherever they are). The
   * shares are taken of this, so that every task's 1/(2N) is reachable.
   */
  private long executionLimit() {
    return Math.max(1, Math.min(executionCap, poolBytes - (storageUsed - reclaimableStorage())));
  }

  /**
   * Storage execution may evict: cached blocks above the storage region; not unrolls in
   * progress, nor storage no block accounts for (the evictor's count is the truth).
   */
  private long reclaimableStorage() {
    long blocks = Math.min(storageUsed - unrollUsed, evictor.evictable(-1));
    return Math.max(0, Math.min(blocks, storageUsed - storageRegionBytes));
  }

  private long executionFree() {
    long byPool = poolBytes - executionUsed - storageUsed;
    long byCap = executionCap - executionUsed;
    return Math.max(0, Math.min(byPool, byCap));
  }

  /** Evicts cached blocks above the storage region for execution; returns bytes freed. */
  private long reclaimStorage(long bytes) {
    long reclaimable = reclaimableStorage();
    if (reclaimable <= 0) {
      return 0;
    }
    long before = storageUsed;
    evictor.evict(Math.min(bytes, reclaimable), -1);
    return Math.max(0, before - storageUsed);
  }

  /** Gives back {@code bytes} of task {@code taskId}'s execution memory. */
  public void releaseExecution(long taskId, long bytes) {
    if (bytes <= 0) {
      return;
    }
    synchronized (lock) {
      Long held = executionByTask.get(taskId);
      if (held == null) {
        // after releaseAllExecution: re-adding the task would count it as active forever
        LOG.warn("task {} releases {} bytes of execution memory but holds none", taskId, bytes);
        return;
      }
      long current = held;
      if (bytes > current) {
        LOG.warn("task {} releases {} bytes of execution memory but holds {}", taskId, bytes, current);
        bytes = current;
      }
      executionByTask.put(taskId, current - bytes);
      executionUsed -= bytes;
      lock.notifyAll();
    }
  }

  /**
   * Ends task {@code taskId}'s claim on execution memory. Memory it still holds is a leak of a
   * consumer that did not release: freed here and logged. Returns the bytes freed that way.
   */
  public long releaseAllExecution(long taskId) {
    synchronized (lock) {
      Long held = executionByTask.remove(taskId);
      lock.notifyAll(); // one task fewer: the others' shares grow
      if (held == null || held == 0) {
        return 0;
      }
      executionUsed -= held;
      leakedBytes += held;
      LOG.warn("task {} ended holding {} bytes of execution memory; freed", taskId, held);
      return held;
    }
  }

  /**
   * Reserves {@code bytes} of storage for a block of node {@code nodeId}, evicting other nodes'
   * blocks if needed. All or nothing: returns false, evicting nothing more than was needed, if
   * they cannot fit.
   */
  public boolean acquireStorage(long bytes, int nodeId) {
    if (bytes <= 0) {
      return true;
    }
    synchronized (lock) {
      long free = storageFree();
      if (free < bytes) {
        if (free + evictor.evictable(nodeId) < bytes) {
          return false; // would not fit even with every other block evicted: evict nothing
        }
        evictor.evict(bytes - free, nodeId);
      }
      if (storageFree() < bytes) {
        return false;
      }
      storageUsed += bytes;
      noteUsage();
      return true;
    }
  }

  /**
   * Reserves {@code bytes} of storage for task {@code taskId}'s unroll of a block of node {@code
   * nodeId}, as {@link #acquireStorage}. Until released by {@link #releaseUnroll} (the block
   * stored, or given up) execution cannot evict it; {@link #releaseAllUnroll} frees what the task
   * still holds when it ends.
   */
  public boolean acquireUnroll(long taskId, long bytes, int nodeId) {
    if (bytes <= 0) {
      return true;
    }
    synchronized (lock) {
      if (!acquireStorage(bytes, nodeId)) {
        return false;
      }
      unrollUsed += bytes;
      unrollByTask.merge(taskId, bytes, Long::sum);
      return true;
    }
  }

  /** Gives back {@code bytes} of task {@code taskId}'s unroll reservation; wakes waiting execution. */
  public void releaseUnroll(long taskId, long bytes) {
    synchronized (lock) {
      Long held = unrollByTask.get(taskId);
      long freed = Math.min(Math.max(0, bytes), held == null ? 0 : held);
      if (held != null && held - freed == 0) {
        unrollByTask.remove(taskId);
      } else if (held != null) {
        unrollByTask.put(taskId, held - freed);
      }
      unrollUsed -= freed;
      storageUsed -= Math.min(freed, storageUsed);
      lock.notifyAll(); // storage became free or evictable: a waiter may re-check
    }
  }

  /**
   * Frees the unroll reservations task {@code taskId} still holds (an unroll abandoned without
   * release, e.g. by an exception the store did not see). Returns the bytes freed.
   */
  public long releaseAllUnroll(long taskId) {
    synchronized (lock) {
      Long held = unrollByTask.get(taskId);
      if (held == null) {
        return 0;
      }
      releaseUnroll(taskId, held);
      LOG.warn("task {} ended holding {} bytes of unroll memory; freed", taskId, held);
      return held;
    }
  }

  /** Storage reserved by task {@code taskId}'s unrolls in progress. */
  public long unrollHeldBy(long taskId) {
    synchronized (lock) {
      return unrollByTask.getOrDefault(taskId, 0L);
    }
  }

  private long storageFree() {
    return Math.max(0, Math.min(poolBytes - executionUsed - storageUsed, storageCap - storageUsed));
  }

  /** Gives back {@code bytes} of storage (a block dropped or moved to disk, an unroll abandoned). */
  public void releaseStorage(long bytes) {
    if (bytes <= 0) {
      return;
    }
    synchronized (lock) {
      storageUsed -= Math.min(bytes, storageUsed);
      lock.notifyAll();
    }
  }

  private void noteUsage() {
    highWaterMark = Math.max(highWaterMark, executionUsed + storageUsed);
  }

  public long poolBytes() {
    return poolBytes;
  }

  /** Most execution memory the pool may ever grant (the pool unless a legacy shuffle size caps it). */
  public long executionCap() {
    return executionCap;
  }

  public long storageRegionBytes() {
    return storageRegionBytes;
  }

  /** Execution memory in use; read without the lock (a recent value, for status reports). */
  public long executionUsed() {
    return executionUsed;
  }

  /** Storage memory in use; read without the lock (a recent value, for status reports). */
  public long storageUsed() {
    return storageUsed;
  }

  /** Execution memory task {@code taskId} holds now. */
  public long executionHeldBy(long taskId) {
    synchronized (lock) {
      return executionByTask.getOrDefault(taskId, 0L);
    }
  }

  /** Tasks holding or asking for execution memory now. */
  public int activeTasks() {
    synchronized (lock) {
      return executionByTask.size();
    }
  }

  /** Execution requests waiting for another task to release memory now (tests, diagnostics). */
  public int waitingRequests() {
    synchronized (lock) {
      return waiting;
    }
  }

  /** The most execution and storage memory were ever granted together: never above the pool. */
  public long highWaterMark() {
    synchronized (lock) {
      return highWaterMark;
    }
  }

  /** Execution memory freed at task end because its consumers did not release it. */
  public long leakedBytes() {
    synchronized (lock) {
      return leakedBytes;
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "UnifiedMemoryManager(pool " + poolBytes + ", storage region " + storageRegionBytes
          + ", execution " + executionUsed + " for " + executionByTask.size() + " tasks, storage " + storageUsed + ")";
    }
  }
}
