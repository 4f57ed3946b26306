package io.weft.scheduler.task;

import io.weft.util.IntList;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The tasks of one task set that wait for a slot, indexed so that an offer costs O(1) amortized
 * whatever the number of tasks: queues per preferred executor, host and rack, one for tasks with
 * no preference and one of all; and, per locality level, how many waiting tasks could run at it
 * on a live executor, kept up to date as executors, hosts and racks come and go.
 *
 * <p>Queues are lazy: a task stays in every queue it was put in and is skipped when dequeued if
 * it is no longer waiting (it was taken through another queue). A task queued again after a
 * failure is pushed again, so it runs before tasks that never ran.
 *
 * <p>Example: task 7 prefers hosts h1 and h2, both on rack /r1, and nothing is alive yet. It is in
 * the queues of h1, h2, /r1 and all; {@link #waitingAt}(NODE_LOCAL) is 0. An executor on h2
 * registers: {@link #hostUp}("h2") makes it 1 (and {@link #rackUp}("/r1") makes RACK_LOCAL 1). An
 * offer from h1 finds nothing; one from h2 takes 7, and both counts drop back to 0.
 *
 * <p>Threading: owned by the scheduler's event thread.
 */
final class PendingTasks {
  private static final int[] NONE = new int[0];

  private final String[][] executorsOf;
  private final String[][] hostsOf;
  private final String[][] racksOf;
  /** Every task that prefers the key, whether waiting or not: what a liveness change walks. */
  private final Map<String, int[]> tasksOfExecutor;
  private final Map<String, int[]> tasksOfHost;
  private final Map<String, int[]> tasksOfRack;

  private final Map<String, ArrayDeque<Integer>> byExecutor = new HashMap<>();
  private final Map<String, ArrayDeque<Integer>> byHost = new HashMap<>();
  private final Map<String, ArrayDeque<Integer>> byRack = new HashMap<>();
  private final ArrayDeque<Integer> noPrefs = new ArrayDeque<>();
  private final ArrayDeque<Integer> all = new ArrayDeque<>();

  private final boolean[] waiting;
  private int waitingCount;
  private int waitingNoPrefs;
  /** Per task, how many of its preferred executors / hosts / racks are alive now. */
  private final int[] liveExecutors;
  private final int[] liveHosts;
  private final int[] liveRacks;
  /** Waiting tasks with at least one live preferred executor / host / rack. */
  private int waitingAtProcess;
  private int waitingAtNode;
  private int waitingAtRack;

  /**
   * @param preferred each task's preferred locations
   * @param rackOf a host's rack, or null when it has none
   */
  PendingTasks(List<List<TaskLocation>> preferred, Function<String, String> rackOf) {
    int n = preferred.size();
    executorsOf = new String[n][];
    hostsOf = new String[n][];
    racksOf = new String[n][];
    Map<String, IntList> execIndex = new HashMap<>();
    Map<String, IntList> hostIndex = new HashMap<>();
    Map<String, IntList> rackIndex = new HashMap<>();
    for (int i = 0; i < n; i++) {
      List<TaskLocation> locs = preferred.get(i);
      String[] execs = new String[locs.size()];
      String[] hosts = new String[locs.size()];
      String[] racks = new String[locs.size()];
      int ne = 0;
      int nh = 0;
      int nr = 0;
      for (TaskLocation loc : locs) {
        if (loc.executorId() != null && !contains(execs, ne, loc.executorId())) {
          execs[ne++] = loc.executorId();
        }
        if (!contains(hosts, nh, loc.host())) {
          hosts[nh++] = loc.host();
          String rack = rackOf.apply(loc.host());
          if (rack != null && !contains(racks, nr, rack)) {
            racks[nr++] = rack;
          }
        }
      }
      executorsOf[i] = index(i, execs, ne, execIndex);
      hostsOf[i] = index(i, hosts, nh, hostIndex);
      racksOf[i] = index(i, racks, nr, rackIndex);
    }
    tasksOfExecutor = toArrays(execIndex);
    tasksOfHost = toArrays(hostIndex);
    tasksOfRack = toArrays(rackIndex);
    waiting = new boolean[n];
    liveExecutors = new int[n];
    liveHosts = new int[n];
    liveRacks = new int[n];
    for (int i = n - 1; i >= 0; i--) {
      enqueue(i);
    }
  }

  /** Records that {@code task} prefers the first {@code n} {@code keys}; returns them, trimmed. */
  private static String[] index(int task, String[] keys, int n, Map<String, IntList> index) {
    for (int k = 0; k < n; k++) {
      index.computeIfAbsent(keys[k], x -> new IntList()).add(task);
    }
    return n == keys.length ? keys : Arrays.copyOf(keys, n);
  }

  private static Map<String, int[]> toArrays(Map<String, IntList> index) {
    Map<String, int[]> out = new HashMap<>(index.size() * 2);
    index.forEach((k, v) -> out.put(k, v.toArray()));
    return out;
  }


  /** Task {@code i} waits for a slot again (it was never launched, or its attempt failed). */
  void enqueue(int i) {
    if (waiting[i]) {
      return;
    }
    setWaiting(i, true);
    for (String e : executorsOf[i]) {
      byExecutor.computeIfAbsent(e, k -> new ArrayDeque<>()).push(i);
    }
    for (String h : hostsOf[i]) {
      byHost.computeIfAbsent(h, k -> new ArrayDeque<>()).push(i);
    }
    for (String r : racksOf[i]) {
      byRack.computeIfAbsent(r, k -> new ArrayDeque<>()).push(i);
    }
    if (hostsOf[i].length == 0) {
      noPrefs.push(i);
    }
    all.push(i);
  }

  private void setWaiting(int i, boolean now) {
    waiting[i] = now;
    int d = now ? 1 : -1;
    waitingCount += d;
    if (hostsOf[i].length == 0) {
      waitingNoPrefs += d;
    }
    if (liveExecutors[i] > 0) {
      waitingAtProcess += d;
    }
    if (liveHosts[i] > 0) {
      waitingAtNode += d;
    }
    if (liveRacks[i] > 0) {
      waitingAtRack += d;
    }
  }

  /**
   * Takes a waiting task from the queue of {@code level} for a slot on {@code executorId} at
   * {@code host} on {@code rack} (null: none), or returns -1.
   */
  int poll(TaskLocality level, String executorId, String host, String rack) {
    ArrayDeque<Integer> queue = switch (level) {
      case PROCESS_LOCAL -> byExecutor.get(executorId);
      case NODE_LOCAL -> byHost.get(host);
      case NO_PREF -> noPrefs;
      case RACK_LOCAL -> rack == null ? null : byRack.get(rack);
      case ANY -> all;
    };
    if (queue == null) {
      return -1;
    }
    while (!queue.isEmpty()) {
      int i = queue.pop();
      if (waiting[i]) {
        setWaiting(i, false);
        return i;
      }
    }
    return -1;
  }

  /** How local task {@code i} is on {@code executorId} at {@code host} on {@code rack}. */
  TaskLocality localityOf(int i, String executorId, String host, String rack) {
    if (contains(executorsOf[i], executorId)) {
      return TaskLocality.PROCESS_LOCAL;
    }
    if (contains(hostsOf[i], host)) {
      return TaskLocality.NODE_LOCAL;
    }
    if (hostsOf[i].length == 0) {
      return TaskLocality.NO_PREF;
    }
    return rack != null && contains(racksOf[i], rack) ? TaskLocality.RACK_LOCAL : TaskLocality.ANY;
  }

  private static boolean contains(String[] keys, String key) {
    return contains(keys, keys.length, key);
  }

  private static boolean contains(String[] keys, int n, String key) {
    for (int k = 0; k < n; k++) {
      if (keys[k].equals(key)) {
        return true;
      }
    }
    return false;
  }

  /** Waiting tasks that could run at {@code level} on an executor alive now (ANY: all of them). */
  int waitingAt(TaskLocality level) {
    return switch (level) {
      case PROCESS_LOCAL -> waitingAtProcess;
      case NODE_LOCAL -> waitingAtNode;
      case NO_PREF -> waitingNoPrefs;
      case RACK_LOCAL -> waitingAtRack;
      case ANY -> waitingCount;
    };
  }

  int waitingCount() {
    return waitingCount;
  }

  void executorUp(String executorId) {
    for (int i : tasksOfExecutor.getOrDefault(executorId, NONE)) {
      if (liveExecutors[i]++ == 0 && waiting[i]) {
        waitingAtProcess++;
      }
    }
  }

  void executorDown(String executorId) {
    for (int i : tasksOfExecutor.getOrDefault(executorId, NONE)) {
      if (--liveExecutors[i] == 0 && waiting[i]) {
        waitingAtProcess--;
      }
    }
  }

  void hostUp(String host) {
    for (int i : tasksOfHost.getOrDefault(host, NONE)) {
      if (liveHosts[i]++ == 0 && waiting[i]) {
        waitingAtNode++;
      }
    }
  }

  void hostDown(String host) {
    for (int i : tasksOfHost.getOrDefault(host, NONE)) {
      if (--liveHosts[i] == 0 && waiting[i]) {
        waitingAtNode--;
      }
    }
  }

  void rackUp(String rack) {
    for (int i : tasksOfRack.getOrDefault(rack, NONE)) {
      if (liveRacks[i]++ == 0 && waiting[i]) {
        waitingAtRack++;
      }
    }
  }

  void rackDown(String rack) {
    for (int i : tasksOfRack.getOrDefault(rack, NONE)) {
      if (--liveRacks[i] == 0 && waiting[i]) {
        waitingAtRack--;
      }
    }
  }
}
