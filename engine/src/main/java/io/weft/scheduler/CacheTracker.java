package io.weft.scheduler;

import io.weft.storage.BlockId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which executors hold which cached partitions, as reported by successful tasks. Tasks that
 * read a cached partition prefer those executors (PROCESS_LOCAL).
 *
 * <p>Threading: owned by the scheduler's event thread.
 */
final class CacheTracker {
  private final Map<BlockId, Set<String>> locations = new HashMap<>();

  void add(BlockId block, String executorId) {
    locations.computeIfAbsent(block, b -> new HashSet<>()).add(executorId);
  }

  Set<String> executorsOf(int nodeId, int partition) {
    return locations.getOrDefault(new BlockId(nodeId, partition), Set.of());
  }

  void removeExecutor(String executorId) {
    locations.values().forEach(s -> s.remove(executorId));
    locations.values().removeIf(Set::isEmpty);
  }

  void removeNode(int nodeId) {
    locations.keySet().removeIf(b -> b.nodeId() == nodeId);
  }
}
