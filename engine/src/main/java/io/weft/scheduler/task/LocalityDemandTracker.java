package io.weft.scheduler.task;

import io.weft.cluster.LocalityDemand;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Sums what the active task sets' tasks prefer into one {@link LocalityDemand} for the backend:
 * each set's count is taken once, when it is submitted, and dropped when it is removed, so a
 * stage with other preferences replaces the last one's hosts. (Counts do not shrink as a set's
 * tasks launch: the backend uses them as weights, and a set's weights hold until it is done.)
 *
 * <p>Threading: owned by the scheduler's event thread, like the {@link TaskScheduler}.
 */
final class LocalityDemandTracker {
  private record SetDemand(int tasks, int aware, Map<String, Integer> tasksPerHost) {}

  private final Map<TaskSetManager, SetDemand> bySet = new IdentityHashMap<>();

  /** Adds {@code tsm}'s tasks; returns the new total. */
  LocalityDemand added(TaskSetManager tsm) {
    Map<String, Integer> perHost = new HashMap<>();
    int aware = 0;
    for (TaskSet.PendingTask t : tsm.taskSet().tasks()) {
      Set<String> hosts = new HashSet<>();
      for (TaskLocation l : t.preferred()) {
        hosts.add(l.host());
      }
      hosts.forEach(h -> perHost.merge(h, 1, Integer::sum));
      aware += hosts.isEmpty() ? 0 : 1;
    }
    bySet.put(tsm, new SetDemand(tsm.taskSet().tasks().size(), aware, perHost));
    return total();
  }

  /** Drops {@code tsm}'s tasks; returns the new total, or null if it was not counted. */
  LocalityDemand removed(TaskSetManager tsm) {
    return bySet.remove(tsm) == null ? null : total();
  }

  private LocalityDemand total() {
    int tasks = 0;
    int aware = 0;
    Map<String, Integer> perHost = new HashMap<>();
    for (SetDemand d : bySet.values()) {
      tasks += d.tasks();
      aware += d.aware();
      d.tasksPerHost().forEach((h, n) -> perHost.merge(h, n, Integer::sum));
    }
    return new LocalityDemand(tasks, aware, perHost);
  }
}
