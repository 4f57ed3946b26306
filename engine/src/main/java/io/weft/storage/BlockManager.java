package io.weft.storage;

import io.weft.StorageLevel;
import io.weft.TaskContext;
import io.weft.memory.UnifiedMemoryManager;
import io.weft.serialization.DeserializationStream;
import io.weft.serialization.SerializationStream;
import io.weft.serialization.Serializer;
import io.weft.util.SizeEstimator;
import io.weft.util.SizeTracker;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One executor's cache of persisted partitions ("blocks", one per node and partition): a memory
 * store in the storage memory of the executor's {@link UnifiedMemoryManager}, with
 * least-recently-used eviction (to make room for another block, or when a task needs the memory
 * as execution memory), and a disk store of serialized files under {@link LocalDirs#blockFile}.
 *
 * <p>Storage levels: MEMORY_ONLY keeps a block in memory if it fits, else returns it without
 * caching, and drops it when evicted (lineage recomputes it). MEMORY_AND_DISK moves a block
 * that does not fit, or is evicted, to disk. DISK_ONLY writes it to disk and reads it back
 * lazily. Sizes come from {@link SizeEstimator}; a block is materialized ("unrolled") while its
 * size is tracked against a storage reservation, and unrolling stops as soon as the reservation
 * cannot grow, so a huge partition never has to fit in memory. As in Spark, making room never
 * evicts blocks of the node being stored: caching partition 9 of a dataset by evicting its
 * partition 0 would only make the next pass over it miss every time. A MEMORY_AND_DISK block read back from disk stays
 * there (no promotion back to memory).
 *
 * <p>Threading: thread-safe; one lock guards the stores' bookkeeping. Partitions are computed,
 * and new disk blocks written, outside the lock; two tasks may compute the same block at once,
 * and the second store is a no-op. Evicted blocks are written to disk under the lock, which keeps
 * every stored block findable at all times at the cost of briefly blocking other lookups.
 *
 * <p>Failure handling: a failed write of an evicted block drops it with a warning (it can be
 * recomputed); a failed write of a new DISK_ONLY or MEMORY_AND_DISK block fails the task with an
 * {@link UncheckedIOException} naming the file.
 */
public final class BlockManager {
  private static final Logger LOG = LoggerFactory.getLogger(BlockManager.class);
  private static final int FILE_BUFFER = 64 * 1024;

  private final LocalDirs dirs;
  private final UnifiedMemoryManager memoryManager;
  private final Serializer serializer;
  /** The memory manager's monitor: accounting and eviction happen under one lock. */
  private final Object lock;
  /** In access order: iteration starts at the least recently used block. */
  private final LinkedHashMap<BlockId, MemoryEntry> memory = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<BlockId, Long> disk = new HashMap<>();
  /** Bytes of the blocks in memory (the manager's storage also counts unrolls in progress). */
  private long memoryUsed;


  private record MemoryEntry(List<Object> values, long size, StorageLevel level) {}

  /** The storage level each node with cached blocks was persisted at (for status reports). */
  private final Map<Integer, StorageLevel> levels = new HashMap<>();

  /**
   * Each node's blocks as {@link #nodeCaches} reports them: updated under the lock with every
   * change, read without it, so a heartbeat never waits behind an eviction writing to disk.
   */
  private final Map<Integer, NodeCache> nodeStats = new java.util.concurrent.ConcurrentHashMap<>();

  /** One node's (cached dataset's) blocks in this store. */
  public record NodeCache(int nodeId, StorageLevel level, int memoryPartitions, int diskPartitions,
      long memoryBytes, long diskBytes) {}

  /** A block store with a memory pool of its own of {@code memoryBytes} (tests). */
  public BlockManager(LocalDirs dirs, long memoryBytes, Serializer serializer) {
    this(dirs, UnifiedMemoryManager.storageOnly(memoryBytes), serializer);
  }

  /**
   * A block store caching blocks in {@code memoryManager}'s storage memory; it becomes the
   * manager's evictor, so execution that needs memory can evict cached blocks.
   */
  public BlockManager(LocalDirs dirs, UnifiedMemoryManager memoryManager, Serializer serializer) {
    this.dirs = dirs;
    this.memoryManager = memoryManager;
    this.serializer = serializer;
    this.lock = memoryManager.lock();
    memoryManager.setEvictor(new UnifiedMemoryManager.Evictor() {
      @Override
      public long evict(long bytes, int keepNodeId) {
        return evictBlocks(bytes, keepNodeId);
      }

      @Override
      public long evictable(int keepNodeId) {
        return evictableBytes(keepNodeId);
      }
    });
  }

  /** The memory pool this store caches blocks in. */
  public UnifiedMemoryManager memoryManager() {
    return memoryManager;
  }

  /**
   * The partition from the cache if it is there, else computed by {@code compute} (outside any
   * lock) and stored at {@code level} on the way out. Calls {@link TaskContext#recordCachedBlock}
   * when this call stores the block.
   */
  public <T> Iterator<T> getOrCompute(int nodeId, int partition, StorageLevel level,
      Supplier<Iterator<T>> compute, TaskContext task) {
    if (level == StorageLevel.NONE) {
      return compute.get();
    }
    BlockId id = new BlockId(nodeId, partition);
    Iterator<T> cached = get(id, task);
    if (cached != null) {
      return cached;
    }
    synchronized (lock) {
      levels.put(nodeId, level);
    }
    Iterator<T> values = compute.get();
    return level.useMemory() ? putInMemory(id, level, values, task) : putOnDisk(id, values, task);
  }

  @SuppressWarnings("unchecked")
  private <T> Iterator<T> get(BlockId id, TaskContext task) {
    synchronized (lock) {
      MemoryEntry entry = memory.get(id);
      if (entry != null) {
        return (Iterator<T>) entry.values().iterator();
      }
      if (disk.containsKey(id)) {
        // opened under the lock so that a concurrent removeNode cannot delete it first
        return readFromDisk(id, task);
      }
      return null;
    }
  }

  /**
   * Unrolls the block against a storage reservation that grows by half as the block grows; when
   * the reservation cannot grow, unrolling stops and the rest streams through (to disk for
   * MEMORY_AND_DISK, uncached for MEMORY_ONLY, recomputed next time).
   */
  @SuppressWarnings("unchecked")
  private <T> Iterator<T> putInMemory(BlockId id, StorageLevel level, Iterator<T> values, TaskContext task) {
    long taskId = task.taskAttemptId();
    ArrayList<Object> unrolled = new ArrayList<>();
    SizeTracker tracker = new SizeTracker(unrolled);
    long reserved = 0;
    boolean stored = false;
    List<Object> block;
    long size;
    try {
      while (values.hasNext()) {
        unrolled.add(values.next());
        tracker.afterUpdate();
        long estimate = tracker.estimateSize();
        if (estimate > reserved) {
          long more = estimate + estimate / 2 - reserved;
          if (!memoryManager.acquireUnroll(taskId, more, id.nodeId())) {
            memoryManager.releaseUnroll(taskId, reserved); // before the rest streams through
            reserved = 0;
            return notInMemory(id, level, concat((Iterator<T>) unrolled.iterator(), values), estimate, task);
          }
          reserved += more;
        }
      }
      unrolled.trimToSize();
      block = Collections.unmodifiableList(unrolled);
      size = SizeEstimator.estimate(unrolled);
      synchronized (lock) {
        // the reservation becomes the block's storage (or is given up) atomically under the lock
        memoryManager.releaseUnroll(taskId, reserved);
        reserved = 0;
        if (memory.containsKey(id) || disk.containsKey(id)) {
          return (Iterator<T>) block.iterator(); // another task stored it first
        }
        if (memoryManager.acquireStorage(size, id.nodeId())) {
          memory.put(id, new MemoryEntry(block, size, level));
          count(id, 1, 0, size, 0);
          memoryUsed += size;
          stored = true;
        }
      }
    } finally {
      // the loop threw (task killed, user code, fetch failure) or unrolling stopped: without
      // this the reservation would stay in storage, unevictable, for the executor's lifetime
      if (reserved > 0) {
        memoryManager.releaseUnroll(taskId, reserved);
      }
    }
    if (stored) {
      task.recordCachedBlock(id);
      return (Iterator<T>) block.iterator();
    }
    return notInMemory(id, level, (Iterator<T>) block.iterator(), size, task);
  }

  /** A block that did not fit in memory: to disk if its level allows, else handed out uncached. */
  private <T> Iterator<T> notInMemory(BlockId id, StorageLevel level, Iterator<T> values, long size, TaskContext task) {
    if (level.useDisk()) {
      return putOnDisk(id, values, task);
    }
    LOG.info("no room for block {} (at least {} bytes) in cache memory ({}); not cached",
        id.fileName(), size, memoryManager);
    return values;
  }

  /** Bytes of in-memory blocks not of node {@code keepNodeId}. Caller holds the lock. */
  private long evictableBytes(int keepNodeId) {
    if (keepNodeId < 0) {
      return memoryUsed; // every block: O(1), as execution asks on each request
    }
    long total = 0;
    for (Map.Entry<BlockId, MemoryEntry> e : memory.entrySet()) {
      if (e.getKey().nodeId() != keepNodeId) {
        total += e.getValue().size();
      }
    }
    return total;
  }

  /**
   * Evicts least recently used blocks of nodes other than {@code keepNodeId} until {@code bytes}
   * are freed (MEMORY_AND_DISK blocks go to disk), releasing their storage. As in Spark, a store
   * never evicts blocks of the node being stored: caching partition 9 of a dataset by evicting
   * its partition 0 would only make the next pass over it miss every time. Caller holds the lock.
   */
  private long evictBlocks(long bytes, int keepNodeId) {
    List<BlockId> victims = new ArrayList<>();
    long chosen = 0;
    for (Map.Entry<BlockId, MemoryEntry> e : memory.entrySet()) {
      if (chosen >= bytes) {
        break;
      }
      if (e.getKey().nodeId() != keepNodeId) {
        victims.add(e.getKey());
        chosen += e.getValue().size();
      }
    }
    for (BlockId victim : victims) {
      MemoryEntry entry = memory.remove(victim);
      count(victim, -1, 0, -entry.size(), 0);
      memoryUsed -= entry.size();
      memoryManager.releaseStorage(entry.size());
      if (entry.level().useDisk() && !disk.containsKey(victim)) {
        spillEvicted(victim, entry);
      } else {
        LOG.debug("evicted block {} ({} bytes) from memory", victim.fileName(), entry.size());
      }
    }
    return chosen;
  }

  /** Writes an evicted MEMORY_AND_DISK block to disk. Caller holds the lock. */
  private void spillEvicted(BlockId id, MemoryEntry entry) {
    File tmp = dirs.tempFile("block");
    try {
      writeValues(tmp, entry.values().iterator());
      long length = moveIntoPlace(tmp, id);
      disk.put(id, length);
      count(id, 0, 1, 0, length);
      LOG.debug("evicted block {} ({} bytes) from memory to disk", id.fileName(), entry.size());
    } catch (IOException | RuntimeException e) {
      tmp.delete();
      LOG.warn("could not write evicted block {} to disk; dropped (it will be recomputed)", id.fileName(), e);
    }
  }

  private <T> Iterator<T> putOnDisk(BlockId id, Iterator<T> values, TaskContext task) {
    File tmp = dirs.tempFile("block");
    try {
      writeValues(tmp, values); // computes the partition: outside the lock
      synchronized (lock) {
        if (!disk.containsKey(id)) {
          long length = moveIntoPlace(tmp, id);
          disk.put(id, length);
          count(id, 0, 1, 0, length);
          task.recordCachedBlock(id);
        }
        return readFromDisk(id, task);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write cached block " + dirs.blockFile(id.fileName()), e);
    } finally {
      if (tmp.exists() && !tmp.delete()) {
        LOG.warn("could not delete temporary block file {}", tmp);
      }
    }
  }

  private void writeValues(File file, Iterator<?> values) throws IOException {
    try (SerializationStream out = serializer.newInstance().serializeStream(
        new BufferedOutputStream(new FileOutputStream(file), FILE_BUFFER))) {
      while (values.hasNext()) {
        out.writeObject(values.next());
      }
    }
  }

  /** Renames a written temporary file to the block's file; returns its length. */
  private long moveIntoPlace(File tmp, BlockId id) throws IOException {
    File target = dirs.blockFile(id.fileName());
    Files.move(tmp.toPath(), target.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target.length();
  }

  /** Opens the block's file now and deserializes it lazily; closed at its end or at task end. */
  @SuppressWarnings("unchecked")
  private <T> Iterator<T> readFromDisk(BlockId id, TaskContext task) {
    File file = dirs.blockFile(id.fileName());
    try {
      InputStream in = new BufferedInputStream(new FileInputStream(file), FILE_BUFFER);
      DeserializationStream stream = serializer.newInstance().deserializeStream(in);
      if (task != null) {
        task.addCompletionListener(() -> closeQuietly(stream));
      }
      return (Iterator<T>) stream.asIterator();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cached block " + file, e);
    }
  }

  private static void closeQuietly(DeserializationStream stream) {
    try {
      stream.close();
    } catch (IOException ignored) {
      // read-only: nothing is lost
    }
  }

  private static <T> Iterator<T> concat(Iterator<T> first, Iterator<T> rest) {
    return com.google.common.collect.Iterators.concat(first, rest);
  }

  /** Drops every cached partition of {@code nodeId} (unpersist), from memory and disk. */
  public void removeNode(int nodeId) {
    synchronized (lock) {
      levels.remove(nodeId);
      nodeStats.remove(nodeId);
      memory.entrySet().removeIf(e -> {
        if (e.getKey().nodeId() == nodeId) {
          memoryUsed -= e.getValue().size();
          memoryManager.releaseStorage(e.getValue().size());
          return true;
        }
        return false;
      });
      disk.keySet().removeIf(id -> {
        if (id.nodeId() == nodeId) {
          File f = dirs.blockFile(id.fileName());
          if (!f.delete() && f.exists()) {
            LOG.warn("could not delete cached block file {}", f);
          }
          return true;
        }
        return false;
      });
    }
  }

  /** Adds to the reported counts of {@code id}'s node. Caller holds the lock. */
  private void count(BlockId id, int memoryPartitions, int diskPartitions, long memoryBytes, long diskBytes) {
    StorageLevel level = levels.getOrDefault(id.nodeId(), StorageLevel.NONE);
    nodeStats.compute(id.nodeId(), (node, c) -> {
      NodeCache n = c == null ? new NodeCache(node, level, 0, 0, 0, 0) : c;
      NodeCache next = new NodeCache(node, level, n.memoryPartitions() + memoryPartitions,
          n.diskPartitions() + diskPartitions, n.memoryBytes() + memoryBytes, n.diskBytes() + diskBytes);
      return next.memoryPartitions() == 0 && next.diskPartitions() == 0 ? null : next;
    });
  }

  /**
   * Every node with blocks in this store, by node id: partitions and bytes in memory and on disk.
   * Does not take the store's lock (a status report must not wait behind an eviction).
   */
  public List<NodeCache> nodeCaches() {
    List<NodeCache> out = new ArrayList<>(nodeStats.values());
    out.sort(java.util.Comparator.comparingInt(NodeCache::nodeId));
    return out;
  }

  /** Estimated bytes of the blocks in memory. */
  public long memoryUsed() {
    synchronized (lock) {
      return memoryUsed;
    }
  }

  public int blocksInMemory() {
    synchronized (lock) {
      return memory.size();
    }
  }

  public int blocksOnDisk() {
    synchronized (lock) {
      return disk.size();
    }
  }

  /** Whether the partition is cached in memory; does not count as a use for LRU. */
  public boolean isInMemory(int nodeId, int partition) {
    synchronized (lock) {
      return memory.containsKey(new BlockId(nodeId, partition)); // containsKey keeps access order
    }
  }

  public boolean isOnDisk(int nodeId, int partition) {
    synchronized (lock) {
      return disk.containsKey(new BlockId(nodeId, partition));
    }
  }
}
