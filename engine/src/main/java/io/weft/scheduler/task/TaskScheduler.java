package io.weft.scheduler.task;

import io.weft.cluster.ClusterBackend;
import io.weft.cluster.ExecutorInfo;
import io.weft.cluster.LocalityDemand;
import io.weft.cluster.RackResolver;
import io.weft.scheduler.TaskDescription;
import io.weft.scheduler.TaskEndReason;
import io.weft.util.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Hands tasks to free executor slots. Keeps the executors and their free slots, which hosts and
 * racks are alive, and one {@link TaskSetManager} per active stage attempt; task sets are served
 * in FIFO order of job and stage, each with its own delay scheduling.
 *
 * <p>{@link #schedule()} is called after every event that may free a slot or add work; it
 * launches what it can through the backend and asks for a timer callback when a locality wait
 * will expire, so waiting tasks are not forgotten when the cluster is otherwise quiet. It looks
 * only at executors with a free slot, and each task set answers an offer from its indexes, so a
 * task's end costs about the same with 10 or 100,000 tasks waiting.
 *
 * <p>Racks come from the backend's {@link RackResolver}, asked once per host. When a task set is
 * submitted or removed, the backend hears where the waiting tasks would like to run
 * ({@link ClusterBackend#localityDemandChanged}), so it may place executors near the data.
 *
 * <p>Threading: owned by the scheduler's event thread; never blocks.
 */
public final class TaskScheduler {
  private final ClusterBackend backend;
  private final Clock clock;
  private final LocalityWaits waits;
  private final int maxFailures;
  private final RackResolver rackResolver;
  private final LongConsumer timerRequest;

  private final Map<String, ExecutorInfo> executors = new LinkedHashMap<>();
  private final Map<String, Integer> freeSlots = new HashMap<>();
  /** Executors with a free slot, in registration order (offers go round-robin over them). */
  private final Set<String> withFreeSlots = new LinkedHashSet<>();
  private int totalFree;
  private final Map<String, Set<String>> executorsByHost = new HashMap<>();
  private final Map<String, Set<String>> liveHostsByRack = new HashMap<>();
  private final Map<String, Optional<String>> rackOfHost = new HashMap<>();
  /** Each live executor's rack (null: none), so an offer asks no resolver. */
  private final Map<String, String> rackOfExecutor = new HashMap<>();
  private final List<TaskSetManager> taskSets = new ArrayList<>();
  private final LocalityDemandTracker demand = new LocalityDemandTracker();
  private final Map<Long, TaskSetManager> taskOwner = new HashMap<>();
  private final Map<Long, String> taskExecutor = new HashMap<>();
  private long nextTaskId;
  private long timerDueMs = -1;
  /** Every host an executor ever registered on: the exclusion's cap keeps one of them usable. */
  private final Set<String> knownHosts = new HashSet<>();
  private ExcludeOnFailure exclusions = new ExcludeOnFailure(ExcludeOnFailure.Settings.DISABLED, null, e -> {}, h -> {});
  private final ExcludeOnFailure.Cluster clusterView = new ExcludeOnFailure.Cluster() {
    @Override
    public Map<String, String> liveExecutorHosts() {
      Map<String, String> hosts = new HashMap<>();
      executors.forEach((id, info) -> hosts.put(id, info.host()));
      return hosts;
    }

    @Override
    public Set<String> knownHosts() {
      return knownHosts;
    }
  };

  /**
   * @param timerRequest called with a delay in ms when {@link #schedule()} should run again even
   *     if no event arrives (a locality wait expires then)
   */
  public TaskScheduler(ClusterBackend backend, Clock clock, LocalityWaits waits, int maxFailures,
      RackResolver rackResolver, LongConsumer timerRequest) {
    this.backend = backend;
    this.clock = clock;
    this.waits = waits;
    this.maxFailures = maxFailures;
    this.rackResolver = rackResolver;
    this.timerRequest = timerRequest;
  }

  private Speculation speculation = Speculation.OFF;

  /** Told of every task launch, on the scheduler's thread (listener events); none by default. */
  public interface LaunchListener {
    void launched(TaskDescription task, String executorId, String host, TaskLocality locality);
  }

  private LaunchListener launchListener = (task, executorId, host, locality) -> { };

  public void useLaunchListener(LaunchListener listener) {
    this.launchListener = listener;
  }

  /** Gives stragglers copies as {@code speculation} says (weft.speculation); off by default. */
  public void useSpeculation(Speculation speculation) {
    this.speculation = speculation;
  }

  /**
   * {@code winner} of {@code tsm} succeeded: kills the task's other attempts (speculative copies
   * or the original); they report their end as killed.
   */
  public void killOtherAttempts(TaskSetManager tsm, TaskSetManager.Running winner) {
    for (TaskSetManager.Running other : tsm.otherAttempts(winner)) {
      backend.killTask(other.executorId(), other.taskId(), "another attempt of the task succeeded");
    }
  }

  /** Uses {@code exclusions} (weft.excludeOnFailure) for placement from now on; none by default. */
  public void useExclusions(ExcludeOnFailure exclusions) {
    this.exclusions = exclusions;
  }

  public ExcludeOnFailure exclusions() {
    return exclusions;
  }

  /** A task attempt on {@code executorId} failed with {@code reason}: a task's exception counts towards excluding it. */
  public void taskFailed(String executorId, TaskEndReason reason) {
    ExecutorInfo info = executors.get(executorId);
    if (info != null && reason instanceof TaskEndReason.ExceptionFailure) {
      exclusions.taskFailed(executorId, info.host(), clusterView);
    }
  }

  /** The rack of {@code host} (cached), or null. */
  public String rackOf(String host) {
    return rackOfHost.computeIfAbsent(host, h -> Optional.ofNullable(rackResolver.rackOf(h))).orElse(null);
  }

  public TaskSetManager submit(TaskSet set) {
    TaskSetManager tsm = new TaskSetManager(set, clock, waits, maxFailures, this::rackOf);
    PendingTasks pending = tsm.pending();
    executors.keySet().forEach(pending::executorUp);
    executorsByHost.keySet().forEach(pending::hostUp);
    liveHostsByRack.keySet().forEach(pending::rackUp);
    taskSets.add(tsm);
    taskSets.sort(Comparator.comparingInt((TaskSetManager m) -> m.taskSet().jobId())
        .thenComparingInt(m -> m.taskSet().stageId()));
    backend.localityDemandChanged(demand.added(tsm));
    return tsm;
  }

  public void executorAdded(ExecutorInfo info) {
    String id = info.executorId();
    String host = info.host();
    if (executors.put(id, info) != null) {
      return; // registered twice: it is already counted as alive
    }
    setFreeSlots(id, info.slots());
    knownHosts.add(host);
    rackOfExecutor.put(id, rackOf(host));
    taskSets.forEach(t -> t.pending().executorUp(id));
    Set<String> onHost = executorsByHost.computeIfAbsent(host, h -> new HashSet<>());
    if (onHost.add(id) && onHost.size() == 1) {
      taskSets.forEach(t -> t.pending().hostUp(host));
      String rack = rackOf(host);
      if (rack != null) {
        Set<String> onRack = liveHostsByRack.computeIfAbsent(rack, r -> new HashSet<>());
        if (onRack.add(host) && onRack.size() == 1) {
          taskSets.forEach(t -> t.pending().rackUp(rack));
        }
      }
    }
  }

  /** Removes an executor; returns the ids of the task attempts that were running on it. */
  public List<Long> executorLost(String executorId) {
    ExecutorInfo info = executors.remove(executorId);
    rackOfExecutor.remove(executorId);
    setFreeSlots(executorId, 0);
    freeSlots.remove(executorId);
    if (info != null) {
      taskSets.forEach(t -> t.pending().executorDown(executorId));
      hostLostExecutor(info.host(), executorId);
      exclusions.executorDied(executorId, info.host(), clusterView);
    }
    List<Long> lost = new ArrayList<>();
    for (TaskSetManager t : taskSets) {
      lost.addAll(t.runningOn(executorId));
    }
    return lost;
  }

  private void hostLostExecutor(String host, String executorId) {
    Set<String> onHost = executorsByHost.get(host);
    if (onHost == null || !onHost.remove(executorId) || !onHost.isEmpty()) {
      return;
    }
    executorsByHost.remove(host);
    taskSets.forEach(t -> t.pending().hostDown(host));
    String rack = rackOf(host);
    Set<String> onRack = rack == null ? null : liveHostsByRack.get(rack);
    if (onRack != null && onRack.remove(host) && onRack.isEmpty()) {
      liveHostsByRack.remove(rack);
      taskSets.forEach(t -> t.pending().rackDown(rack));
    }
  }

  private void setFreeSlots(String executorId, int n) {
    Integer before = freeSlots.put(executorId, n);
    totalFree += n - (before == null ? 0 : before);
    if (n > 0) {
      withFreeSlots.add(executorId);
    } else {
      withFreeSlots.remove(executorId);
    }
  }

  public boolean hasExecutor(String executorId) {
    return executors.containsKey(executorId);
  }

  public Map<String, ExecutorInfo> executors() {
    return executors;
  }

  /** The task set that launched {@code taskId}, or null if unknown (a stale report). */
  public TaskSetManager ownerOf(long taskId) {
    return taskOwner.get(taskId);
  }

  /** A task attempt ended: its slot is free again. */
  public void taskEnded(long taskId) {
    taskOwner.remove(taskId);
    String executorId = taskExecutor.remove(taskId);
    Integer free = executorId == null ? null : freeSlots.get(executorId);
    if (free != null) {
      setFreeSlots(executorId, free + 1);
    }
  }

  /**
   * Gives {@code executorId} no more tasks: it is ending its JVM (a task's OutOfMemoryError) and
   * its loss will follow. Its running tasks stay where they are until then.
   */
  public void stopOffering(String executorId) {
    setFreeSlots(executorId, 0);
    freeSlots.remove(executorId);
  }

  /** Drops finished task sets and those of a cancelled stage with nothing running. */
  public void removeIfDone(TaskSetManager tsm) {
    if (tsm.isZombie() && !tsm.hasRunningTasks()) {
      taskSets.remove(tsm);
      LocalityDemand now = demand.removed(tsm);
      if (now != null) {
        backend.localityDemandChanged(now);
      }
    }
  }

  public List<TaskSetManager> activeTaskSets() {
    return taskSets;
  }

  /**
   * Launches tasks into free slots: each task set in turn, at each level from the best to the one
   * its delay scheduling allows (and NO_PREF always); arranges a timer for locality waits.
   */
  public void schedule() {
    exclusions.refresh(clusterView);
    speculation.checkIfDue(taskSets, clock.millis());
    int hosts = -1; // hosts that may run tasks, counted once a task set has pending tasks
    for (TaskSetManager tsm : List.copyOf(taskSets)) {
      if (totalFree == 0) {
        break;
      }
      if (tsm.isZombie() || !tsm.hasPending()) {
        continue;
      }
      if (hosts < 0) { // so that speculative copies go to another host when there is one
        hosts = (int) executors.values().stream().filter(e -> !exclusions.isExcluded(e.executorId(), e.host()))
            .map(ExecutorInfo::host).distinct().count();
      }
      for (TaskLocality level : TaskLocality.values()) {
        // asked again per level: a local launch at a better level resets what is allowed
        if (level == TaskLocality.NO_PREF || level.isAtMost(tsm.allowedLevel())) {
          launchAt(tsm, level, hosts);
        }
      }
    }
    armTimer();
  }

  /** Offers free slots round-robin, one task per executor per round, so work spreads evenly. */
  private void launchAt(TaskSetManager tsm, TaskLocality level, int hosts) {
    boolean launched = true;
    while (launched && totalFree > 0 && tsm.hasPending()) {
      launched = false;
      for (String executorId : List.copyOf(withFreeSlots)) {
        ExecutorInfo e = executors.get(executorId);
        if (exclusions.isExcluded(executorId, e.host())) {
          continue;
        }
        TaskDescription task = tsm.offer(executorId, e.host(), rackOfExecutor.get(executorId), level, nextTaskId,
            hosts);
        if (task == null) {
          continue;
        }
        nextTaskId++;
        setFreeSlots(executorId, freeSlots.get(executorId) - 1);
        taskOwner.put(task.taskId(), tsm);
        taskExecutor.put(task.taskId(), executorId);
        backend.launchTask(executorId, task);
        launchListener.launched(task, executorId, e.host(), tsm.running().get(task.taskId()).locality());
        launched = true;
      }
    }
  }

  private void armTimer() {
    if (totalFree == 0) {
      return; // a finishing task will call schedule() again
    }
    long due = -1;
    for (TaskSetManager tsm : taskSets) {
      long t = tsm.nextLevelChangeMs();
      if (t >= 0 && (due < 0 || t < due)) {
        due = t;
      }
    }
    long speculate = speculation.nextCheckMs(taskSets);
    if (speculate >= 0 && (due < 0 || speculate < due)) {
      due = speculate;
    }
    long now = clock.millis();
    if (due >= 0 && (timerDueMs < now || due < timerDueMs)) {
      timerDueMs = due;
      timerRequest.accept(Math.max(1, due - now));
    }
  }

  public int freeSlotCount() {
    return totalFree;
  }

  public int totalSlots() {
    return executors.values().stream().mapToInt(ExecutorInfo::slots).sum();
  }

  public boolean isIdle() {
    return taskOwner.isEmpty() && taskSets.isEmpty();
  }
}
