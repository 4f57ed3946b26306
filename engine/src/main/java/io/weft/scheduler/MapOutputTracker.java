package io.weft.scheduler;

import io.weft.shuffle.MapOutputLocation;
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
 * <p>Threading: owned by the scheduler's event thread.
 */
public final class MapOutputTracker {
  private final Map<Integer, MapStatus[]> outputs = new HashMap<>();

  public void registerShuffle(int shuffleId, int numMaps) {
    outputs.putIfAbsent(shuffleId, new MapStatus[numMaps]);
  }

  public boolean containsShuffle(int shuffleId) {
    return outputs.containsKey(shuffleId);
  }

  public void registerMapOutput(int shuffleId, int mapIndex, MapStatus status) {
    statuses(shuffleId)[mapIndex] = status;
  }

  /** Forgets the output of one map task if it is still the one on {@code executorId}. */
  public void unregisterMapOutput(int shuffleId, int mapIndex, String executorId) {
    MapStatus[] s = statuses(shuffleId);
    if (s[mapIndex] != null && s[mapIndex].location().executorId().equals(executorId)) {
      s[mapIndex] = null;
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
          affected.add(e.getKey());
        }
      }
    }
    return affected;
  }

  public List<Integer> missingPartitions(int shuffleId) {
    MapStatus[] s = statuses(shuffleId);
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
    if (s == null) {
      return false;
    }
    for (MapStatus m : s) {
      if (m == null) {
        return false;
      }
    }
    return true;
  }

  /** The location of every map output, by map index; the shuffle must be complete. */
  public List<MapOutputLocation> locations(int shuffleId) {
    MapStatus[] s = statuses(shuffleId);
    List<MapOutputLocation> out = new ArrayList<>(s.length);
    for (int i = 0; i < s.length; i++) {
      if (s[i] == null) {
        throw new IllegalStateException("map output " + i + " of shuffle " + shuffleId + " is missing");
      }
      out.add(s[i].location());
    }
    return out;
  }

  /** Total bytes written by the complete map outputs of a shuffle. */
  public long totalBytes(int shuffleId) {
    long sum = 0;
    for (MapStatus m : statuses(shuffleId)) {
      if (m != null) {
        sum += m.totalBytes();
      }
    }
    return sum;
  }

  public void removeShuffle(int shuffleId) {
    outputs.remove(shuffleId);
  }

  public Set<Integer> shuffleIds() {
    return new TreeSet<>(outputs.keySet());
  }

  private MapStatus[] statuses(int shuffleId) {
    MapStatus[] s = outputs.get(shuffleId);
    if (s == null) {
      throw new IllegalArgumentException("unknown shuffle " + shuffleId);
    }
    return s;
  }
}
