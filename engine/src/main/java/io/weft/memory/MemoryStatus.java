package io.weft.memory;

import io.weft.executor.ExecutorEnv;
import io.weft.network.protocol.CachedNodeStatus;
import io.weft.network.protocol.Heartbeat;
import io.weft.status.ListenerEvent;
import io.weft.storage.BlockManager;
import java.util.ArrayList;
import java.util.List;

/**
 * An executor's memory report for the driver's UI: the executor fills it into its heartbeat, the
 * driver turns the heartbeat into a {@link ListenerEvent.ExecutorMemoryUpdated}; in local mode
 * the event is made from the executor's services directly.
 */
public final class MemoryStatus {
  private MemoryStatus() {}

  /** Adds {@code env}'s pool usage and cached datasets to a heartbeat being built. */
  public static Heartbeat.Builder fill(Heartbeat.Builder heartbeat, ExecutorEnv env) {
    UnifiedMemoryManager memory = env.memory();
    List<CachedNodeStatus> cached = new ArrayList<>();
    for (BlockManager.NodeCache n : nodeCaches(env)) {
      cached.add(new CachedNodeStatus(n.nodeId(), n.level().name(), n.memoryPartitions(), n.diskPartitions(),
          n.memoryBytes(), n.diskBytes()));
    }
    return heartbeat.setMemoryPoolBytes(memory.poolBytes()).setStorageUsedBytes(memory.storageUsed())
        .setExecutionUsedBytes(memory.executionUsed()).setCached(cached);
  }

  /** The event a heartbeat reports, at {@code timeMs} (the driver's clock). */
  public static ListenerEvent.ExecutorMemoryUpdated fromHeartbeat(Heartbeat h, long timeMs) {
    List<ListenerEvent.CachedNode> cached = new ArrayList<>();
    for (CachedNodeStatus n : h.getCached()) {
      cached.add(new ListenerEvent.CachedNode(n.getNodeId(), n.getStorageLevel(), n.getMemoryPartitions(),
          n.getDiskPartitions(), n.getMemoryBytes(), n.getDiskBytes()));
    }
    return new ListenerEvent.ExecutorMemoryUpdated(h.getExecutorId(), h.getMemoryPoolBytes(), h.getStorageUsedBytes(),
        h.getExecutionUsedBytes(), h.getUsedHeapBytes(), h.getMaxHeapBytes(), cached, timeMs);
  }

  /** The report of an executor in this JVM (local mode). */
  public static ListenerEvent.ExecutorMemoryUpdated of(ExecutorEnv env, long timeMs) {
    Heartbeat.Builder b = Heartbeat.newBuilder().setExecutorId(env.executorId()).setRunningTasks(0)
        .setUsedHeapBytes(usedHeap()).setMaxHeapBytes(Runtime.getRuntime().maxMemory());
    return fromHeartbeat(fill(b, env).build(), timeMs);
  }

  /**
   * Whether {@code report} is worth posting after {@code last} (null: none yet): pool use or
   * cached datasets changed, or {@code maxAgeMs} passed (heap use alone changes all the time and
   * does not count). Keeps an idle executor's heartbeats out of the listeners and the event log.
   */
  public static boolean worthReporting(ListenerEvent.ExecutorMemoryUpdated last,
      ListenerEvent.ExecutorMemoryUpdated report, long maxAgeMs) {
    return last == null || report.timeMs() - last.timeMs() >= maxAgeMs
        || last.storageUsedBytes() != report.storageUsedBytes()
        || last.executionUsedBytes() != report.executionUsedBytes() || !last.cached().equals(report.cached());
  }

  /** Bytes of heap in use now (including garbage not yet collected). */
  public static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static List<BlockManager.NodeCache> nodeCaches(ExecutorEnv env) {
    return env.blockManager() == null ? List.of() : env.blockManager().nodeCaches();
  }
}
