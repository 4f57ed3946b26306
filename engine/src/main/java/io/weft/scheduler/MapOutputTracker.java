package io.weft.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where every shuffle's map outputs are. Filled in as shuffle map tasks succeed; entries are
 * removed when their executor is lost or a reducer fails to fetch them, which makes the producing
 * map stage incomplete again so the DAG scheduler re-runs just the missing map tasks.
 *
 * <p>Each status carries its output's block sizes, compressed (see {@link MapStatus}); reduce
 * tasks get the non-empty blocks of their partitions from them ({@link ShuffleReads}). How many
 * outputs of a shuffle are registered is counted as they come and go, so asking whether a shuffle
 * is complete after each of 20,000 map tasks costs nothing.
 *
 * <p>Threading: owned by the scheduler's event thread.
 */
public final class MapOutputTracker {
  private final Map<Integer, MapStatus[]> outputs = new HashMap<>();
  private final Map<Integer, Integer> registered = new HashMap<>();

  public void registerShuffle(int shuffleId, int numMaps) {
    if (outputs.putIfAbsent(shuffleId, new MapStatus[numMaps]) == null) {
      registered.put(shuffleId, 0);
    }
  }

  public boolean containsShuffle(int shuffleId) {
    return outputs.containsKey(shuffleId);
  }

  public void registerMapOutput(int shuffleId, int mapIndex, MapStatus status) {
    MapStatus[] s = outputsOf(shuffleId);
    if (s[mapIndex] == null) {
      registered.merge(shuffleId, 1, Integer::sum);
    }
    s[mapIndex] = status;
  }

  /** Forgets the output of one map task if it is still the one on {@code executorId}. */
  public void unregisterMapOutput(int shuffleId, int mapIndex, String executorId) {
    MapStatus[] s = outputsOf(shuffleId);
    if (s[mapIndex] != null && s[mapIndex].location().executorId().equals(executorId)) {
      s[mapIndex] = null;
      registered.merge(shuffleId, -1, Integer::sum);
    }
  }

  /** Forgets every output on {@code executorId}; returns the shuffles that lost something. */
  public Set<Integer> removeOutputsOnExecutor(String executorId) {
    Set<Integer> affected = new TreeSet<>();
    for (Map.Entry<Integer, MapStatus[]> e : outputs.entrySet()) {
      MapStatus[] s = e.getValue();
      for (int i = 0; i < s.length; i++) {
        if (s[i] != null && s[i].location().executorId().equals(executorId)) {
          s[i] = null;
          registered.merge(e.getKey(), -1, Integer::sum);
          affected.add(e.getKey());
        }
      }
    }
    return affected;
  }

  public List<Integer> missingPartitions(int shuffleId) {
    MapStatus[] s = outputsOf(shuffleId);
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < s.length; i++) {
      if (s[i] == null) {
        missing.add(i);
      }
    }
    return missing;
  }

  public boolean isAvailable(int shuffleId) {
    MapStatus[] s = outputs.get(shuffleId);
    return s != null && registered.get(shuffleId) == s.length;
  }

  /**
   * A copy of the status of every map output, by map index (statuses are immutable, so the copy
   * stays as it is when outputs are lost later); the shuffle must be complete.
   */
  public MapStatus[] statuses(int shuffleId) {
    MapStatus[] s = outputsOf(shuffleId);
    for (int i = 0; i < s.length; i++) {
      if (s[i] == null) {
        throw new IllegalStateException("map output " + i + " of shuffle " + shuffleId + " is missing");
      }
    }
    return s.clone();
  }

  /** Total bytes written by the complete map outputs of a shuffle. */
  public long totalBytes(int shuffleId) {
    long sum = 0;
    for (MapStatus m : outputsOf(shuffleId)) {
      if (m != null) {
        sum += m.totalBytes();
      }
    }
    return sum;
  }

  public void removeShuffle(int shuffleId) {
    outputs.remove(shuffleId);
    registered.remove(shuffleId);
  }

  /** How many shuffles are registered (complete or not). */
  public int shuffleCount() {
    return outputs.size();
  }

  /** How many map outputs are registered, over every shuffle. */
  public long mapOutputCount() {
    long sum = 0;
    for (int n : registered.values()) {
      sum += n;
    }
    return sum;
  }

  public Set<Integer> shuffleIds() {
    return new TreeSet<>(outputs.keySet());
  }

  private MapStatus[] outputsOf(int shuffleId) {
    MapStatus[] s = outputs.get(shuffleId);
    if (s == null) {
      throw new IllegalArgumentException("unknown shuffle " + shuffleId);
    }
    return s;
  }
}
