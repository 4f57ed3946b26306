package io.weft.scheduler.task;

import io.weft.cluster.ClusterBackend;
import io.weft.cluster.ExecutorInfo;
import io.weft.scheduler.TaskDescription;
import io.weft.util.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Hands tasks to free executor slots. Keeps the executors and their free slots, and one
 * {@link TaskSetManager} per active stage attempt; task sets are served in FIFO order of job and
 * stage, each with its own delay scheduling.
 *
 * <p>{@link #schedule()} is called after every event that may free a slot or add work; it
 * launches what it can through the backend and asks for a timer callback when a locality wait
 * will expire, so waiting tasks are not forgotten when the cluster is otherwise quiet.
 *
 * <p>Threading: owned by the scheduler's event thread; never blocks.
 */
public final class TaskScheduler {
  private final ClusterBackend backend;
  private final Clock clock;
  private final long localityWaitMs;
  private final int maxFailures;
  private final LongConsumer timerRequest;

  private final Map<String, ExecutorInfo> executors = new LinkedHashMap<>();
  private final Map<String, Integer> freeSlots = new HashMap<>();
  private final Map<String, Set<String>> executorsByHost = new HashMap<>();
  private final List<TaskSetManager> taskSets = new ArrayList<>();
  private final Map<Long, TaskSetManager> taskOwner = new HashMap<>();
  private final Map<Long, String> taskExecutor = new HashMap<>();
  private long nextTaskId;
  private long timerDueMs = -1;

  /**
   * @param timerRequest called with a delay in ms when {@link #schedule()} should run again even
   *     if no event arrives (a locality wait expires then)
   */
  public TaskScheduler(ClusterBackend backend, Clock clock, long localityWaitMs, int maxFailures,
      LongConsumer timerRequest) {
    this.backend = backend;
    this.clock = clock;
    this.localityWaitMs = localityWaitMs;
    this.maxFailures = maxFailures;
    this.timerRequest = timerRequest;
  }

  public TaskSetManager submit(TaskSet set) {
    TaskSetManager tsm = new TaskSetManager(set, clock, localityWaitMs, maxFailures);
    tsm.updateLevels(executorsByHost);
    taskSets.add(tsm);
    taskSets.sort(Comparator.comparingInt((TaskSetManager m) -> m.taskSet().jobId())
        .thenComparingInt(m -> m.taskSet().stageId()));
    return tsm;
  }

  public void executorAdded(ExecutorInfo info) {
    executors.put(info.executorId(), info);
    freeSlots.put(info.executorId(), info.slots());
    executorsByHost.computeIfAbsent(info.host(), h -> new HashSet<>()).add(info.executorId());
    taskSets.forEach(t -> t.updateLevels(executorsByHost));
  }

  /** Removes an executor; returns the ids of the task attempts that were running on it. */
  public List<Long> executorLost(String executorId) {
    ExecutorInfo info = executors.remove(executorId);
    freeSlots.remove(executorId);
    if (info != null) {
      Set<String> onHost = executorsByHost.get(info.host());
      onHost.remove(executorId);
      if (onHost.isEmpty()) {
        executorsByHost.remove(info.host());
      }
    }
    List<Long> lost = new ArrayList<>();
    for (TaskSetManager t : taskSets) {
      lost.addAll(t.runningOn(executorId));
      t.updateLevels(executorsByHost);
    }
    return lost;
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
    if (executorId != null && freeSlots.containsKey(executorId)) {
      freeSlots.merge(executorId, 1, Integer::sum);
    }
  }

  /**
   * Gives {@code executorId} no more tasks: it is ending its JVM (a task's OutOfMemoryError) and
   * its loss will follow. Its running tasks stay where they are until then.
   */
  public void stopOffering(String executorId) {
    freeSlots.remove(executorId);
  }

  /** Drops finished task sets and those of a cancelled stage with nothing running. */
  public void removeIfDone(TaskSetManager tsm) {
    if (tsm.isZombie() && !tsm.hasRunningTasks()) {
      taskSets.remove(tsm);
    }
  }

  public List<TaskSetManager> activeTaskSets() {
    return taskSets;
  }

  /** Launches tasks into free slots, best locality first; arranges a timer for locality waits. */
  public void schedule() {
    for (TaskSetManager tsm : List.copyOf(taskSets)) {
      if (tsm.isZombie()) {
        continue;
      }
      TaskLocality allowed = tsm.allowedLevel();
      for (TaskLocality level : tsm.levels()) {
        if (!level.isAtMost(allowed)) {
          break;
        }
        launchAt(tsm, level);
      }
    }
    armTimer();
  }

  /** Offers slots round-robin, one task per executor per round, so work spreads evenly. */
  private void launchAt(TaskSetManager tsm, TaskLocality level) {
    boolean launched = true;
    while (launched) {
      launched = false;
      for (ExecutorInfo e : executors.values()) {
        if (freeSlots.getOrDefault(e.executorId(), 0) <= 0) {
          continue;
        }
        TaskDescription task = tsm.offer(e.executorId(), e.host(), level, nextTaskId);
        if (task == null) {
          continue;
        }
        nextTaskId++;
        freeSlots.merge(e.executorId(), -1, Integer::sum);
        taskOwner.put(task.taskId(), tsm);
        taskExecutor.put(task.taskId(), e.executorId());
        backend.launchTask(e.executorId(), task);
        launched = true;
      }
    }
  }

  private void armTimer() {
    if (freeSlots.values().stream().noneMatch(n -> n > 0)) {
      return; // a finishing task will call schedule() again
    }
    long due = -1;
    for (TaskSetManager tsm : taskSets) {
      long t = tsm.nextLevelChangeMs();
      if (t >= 0 && (due < 0 || t < due)) {
        due = t;
      }
    }
    long now = clock.millis();
    if (due >= 0 && (timerDueMs < now || due < timerDueMs)) {
      timerDueMs = due;
      timerRequest.accept(Math.max(1, due - now));
    }
  }

  public int freeSlotCount() {
    return freeSlots.values().stream().mapToInt(Integer::intValue).sum();
  }

  public int totalSlots() {
    return executors.values().stream().mapToInt(ExecutorInfo::slots).sum();
  }

  public boolean isIdle() {
    return taskOwner.isEmpty() && taskSets.isEmpty();
  }
}
