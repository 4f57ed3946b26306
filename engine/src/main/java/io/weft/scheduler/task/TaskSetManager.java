package io.weft.scheduler.task;

import io.weft.scheduler.TaskDescription;
import io.weft.scheduler.TaskEndReason;
import io.weft.util.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Schedules the tasks of one stage attempt: which task goes to a free slot, with delay
 * scheduling over locality levels, and what a task's failure means (retry, or give up after
 * {@code maxFailures} attempts).
 *
 * <p>Delay scheduling (Zaharia et al., EuroSys 2010, as Spark's TaskSetManager does it): the set
 * walks the ladder PROCESS_LOCAL &gt; NODE_LOCAL &gt; RACK_LOCAL &gt; ANY. A slot gets a task only at
 * the set's current level or better. A level at which no waiting task could run on a live
 * executor is skipped at once; otherwise, after that level's wait ({@link LocalityWaits}) without
 * a launch, the set moves one level down. Launching a task moves the set to that task's level
 * (back up, after a local launch) and restarts the wait. Tasks with no preference (NO_PREF) go to
 * any slot at any time and change nothing. Example: wait 3 s, tasks preferring h1 whose slots are
 * busy, h2 on the same rack: a free slot on h2 stays idle for 3 s, then takes an h1 task
 * RACK_LOCAL; once an h1 slot frees and takes one NODE_LOCAL, h2 waits again.
 *
 * <p>Waiting tasks are indexed by executor, host and rack ({@link PendingTasks}), so an offer and
 * the level check cost O(1) amortized, however many tasks the set has.
 *
 * <p>Threading: owned by the scheduler's event thread.
 */
public final class TaskSetManager {
  /** The levels a set waits at, best first; {@link TaskLocality#NO_PREF} is not one. */
  private static final TaskLocality[] LADDER = {
      TaskLocality.PROCESS_LOCAL, TaskLocality.NODE_LOCAL, TaskLocality.RACK_LOCAL, TaskLocality.ANY};

  private final TaskSet taskSet;
  private final Clock clock;
  private final LocalityWaits waits;
  private final int maxFailures;

  private final int[] failures;
  /** Per task, the executors that died while running one of its attempts, with why. */
  private final List<List<String>> executorDeaths;
  private final int[] attempts;
  private final boolean[] succeeded;
  private int numSucceeded;
  private final Map<Long, Running> running = new HashMap<>();
  private boolean zombie;

  private final PendingTasks pending;
  /** Speculation (see {@link Speculation}): how long succeeded tasks took, and tasks waiting for a copy. */
  private final List<Long> successMs = new ArrayList<>();
  private final java.util.Set<Integer> speculatable = new java.util.LinkedHashSet<>();
  private int speculativeLaunches;
  private int levelIndex;
  private long lastResetMs;

  /** A running attempt: which task (position in the set), where, which attempt, how local, on which host. */
  public record Running(long taskId, int index, String executorId, int attempt, long launchMs,
      TaskLocality locality, String host) {}

  /**
   * @param rackOf a host's rack, or null when it has none
   */
  public TaskSetManager(TaskSet taskSet, Clock clock, LocalityWaits waits, int maxFailures,
      Function<String, String> rackOf) {
    this.taskSet = taskSet;
    this.clock = clock;
    this.waits = waits;
    this.maxFailures = maxFailures;
    int n = taskSet.tasks().size();
    this.failures = new int[n];
    this.executorDeaths = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      executorDeaths.add(new ArrayList<>());
    }
    this.attempts = new int[n];
    this.succeeded = new boolean[n];
    this.pending = new PendingTasks(taskSet.tasks().stream().map(TaskSet.PendingTask::preferred).toList(), rackOf);
    this.lastResetMs = clock.millis();
  }

  public TaskSet taskSet() {
    return taskSet;
  }

  /** A zombie launches nothing more: it succeeded or was aborted, but may still have running tasks. */
  public boolean isZombie() {
    return zombie;
  }

  public void markZombie() {
    zombie = true;
  }

  public boolean hasRunningTasks() {
    return !running.isEmpty();
  }

  public Map<Long, Running> running() {
    return running;
  }

  /** The waiting tasks; the task scheduler tells them which executors, hosts and racks are alive. */
  PendingTasks pending() {
    return pending;
  }

  /**
   * The worst level a task may be launched at right now, moving down the ladder as waits expire
   * and past levels at which nothing could run.
   */
  public TaskLocality allowedLevel() {
    long now = clock.millis();
    while (levelIndex < LADDER.length - 1) {
      TaskLocality level = LADDER[levelIndex];
      if (pending.waitingAt(level) == 0) {
        lastResetMs = now;
        levelIndex++;
      } else if (now - lastResetMs >= waits.waitMs(level)) {
        lastResetMs += waits.waitMs(level);
        levelIndex++;
      } else {
        break;
      }
    }
    return LADDER[levelIndex];
  }

  /** When the allowed level may next get worse, or -1 if it cannot (already ANY, or nothing waits). */
  public long nextLevelChangeMs() {
    if (zombie || !hasPending()) {
      return -1;
    }
    allowedLevel();
    if (levelIndex >= LADDER.length - 1) {
      return -1;
    }
    return lastResetMs + waits.waitMs(LADDER[levelIndex]);
  }

  /**
   * A task for a free slot on {@code executorId} at {@code host} on {@code rack} (null: none),
   * taken from the queue of {@code level} (the caller walks the levels from best to the allowed
   * one, with NO_PREF always), or null. {@code hosts}: how many hosts have executors that may
   * run tasks now, for speculative copies ({@link #pollSpeculative}).
   */
  public TaskDescription offer(String executorId, String host, String rack, TaskLocality level, long taskId,
      int hosts) {
    if (zombie) {
      return null;
    }
    int index = pending.poll(level, executorId, host, rack);
    boolean speculative = index < 0 && level == TaskLocality.NO_PREF
        && (index = pollSpeculative(executorId, host, hosts > 1)) >= 0;
    if (index < 0) {
      return null;
    }
    TaskSet.PendingTask t = taskSet.tasks().get(index);
    int attempt = attempts[index]++;
    long now = clock.millis();
    TaskLocality locality = pending.localityOf(index, executorId, host, rack);
    running.put(taskId, new Running(taskId, index, executorId, attempt, now, locality, host));
    if (locality != TaskLocality.NO_PREF && !speculative) {
      levelIndex = ladderIndex(locality);
      lastResetMs = now;
    }
    return new TaskDescription(taskId, attempt, taskSet.stageId(), taskSet.stageAttempt(),
        t.partitionIndex(), taskSet.shuffleMapStage(), taskSet.taskBinary(), t.partition(),
        taskSet.shuffleReads().blocksFor(t.partitionIndex()));
  }

  private static int ladderIndex(TaskLocality level) {
    for (int i = 0; i < LADDER.length; i++) {
      if (LADDER[i] == level) {
        return i;
      }
    }
    throw new IllegalArgumentException(level + " is not a level a task set waits at");
  }

  /** A task succeeded; returns its attempt, or null if another attempt of it already had. */
  public Running succeeded(long taskId) {
    Running r = running.remove(taskId);
    if (r == null || succeeded[r.index()]) {
      return null;
    }
    succeeded[r.index()] = true;
    successMs.add(clock.millis() - r.launchMs());
    speculatable.remove(r.index());
    if (++numSucceeded == succeeded.length) {
      zombie = true;
    }
    return r;
  }

  /**
   * A task failed. Returns a message when the stage must be aborted (this task failed
   * {@code maxFailures} times, or once with a failure that is not retryable), else null: the task
   * was queued again unless the failure means retrying here is pointless (fetch failure, zombie
   * set).
   *
   * <p>A user exception and the death of the executor running the attempt both count: a task
   * whose every attempt kills its JVM (a native crash, {@code System.exit}, a heap it always
   * exhausts) must end its job, not be retried forever. Fetch failures and kills do not count.
   */
  public String failed(long taskId, TaskEndReason reason) {
    Running r = running.remove(taskId);
    if (r == null) {
      return null;
    }
    int index = r.index();
    if (succeeded[index]) {
      return null;
    }
    speculatable.remove(index); // queued again below, or given up: no copy of an attempt that ended
    if (reason instanceof TaskEndReason.ExceptionFailure ef && !ef.retryable()) {
      failures[index]++;
      return "Task " + taskSet.tasks().get(index).partitionIndex() + " in " + taskSet.name()
          + " failed in a way no retry can fix: " + reason.describe();
    }
    if (reason instanceof TaskEndReason.ExecutorLost lost) {
      executorDeaths.get(index).add(lost.executorId() + " (" + lost.reason() + ")");
    }
    boolean counts = reason instanceof TaskEndReason.ExceptionFailure
        || reason instanceof TaskEndReason.ExecutorLost;
    if (counts && ++failures[index] >= maxFailures) {
      return abortMessage(index, reason);
    }
    if (!zombie && !(reason instanceof TaskEndReason.FetchFailed)) {
      pending.enqueue(index);
    }
    return null;
  }

  private String abortMessage(int index, TaskEndReason last) {
    String task = "Task " + taskSet.tasks().get(index).partitionIndex() + " in " + taskSet.name();
    List<String> deaths = executorDeaths.get(index);
    if (deaths.size() == failures[index]) {
      return task + " was running on " + deaths.size() + " executors that died: "
          + String.join("; ", deaths) + " (the task itself may be ending its executor's JVM)";
    }
    String died = deaths.isEmpty() ? "" : " (" + deaths.size() + " of them on executors that died: "
        + String.join("; ", deaths) + ")";
    return task + " failed " + failures[index] + " times" + died + "; last failure: " + last.describe();
  }

  /** Running attempts on a lost executor; the caller reports each as failed with ExecutorLost. */
  public List<Long> runningOn(String executorId) {
    List<Long> ids = new ArrayList<>();
    for (Running r : running.values()) {
      if (r.executorId().equals(executorId)) {
        ids.add(r.taskId());
      }
    }
    return ids;
  }

  public boolean isFinished() {
    return numSucceeded == succeeded.length;
  }

  /** Whether some task waits for a slot. */
  public boolean hasPending() {
    return pending.waitingCount() > 0 || (!speculatable.isEmpty() && !zombie);
  }

  /**
   * Marks running tasks as speculatable ({@link Speculation}): once {@code quantile} of the tasks
   * succeeded, those with a single attempt running for longer than {@code multiplier} times the
   * median success and at least {@code minRuntimeMs}. Returns how many were newly marked.
   */
  int markStragglers(long now, double quantile, double multiplier, long minRuntimeMs) {
    if (zombie || successMs.isEmpty() || numSucceeded < Math.max(1, (int) Math.ceil(quantile * succeeded.length))) {
      return 0;
    }
    List<Long> sorted = new ArrayList<>(successMs);
    sorted.sort(null);
    double threshold = Math.max(minRuntimeMs, multiplier * sorted.get(sorted.size() / 2));
    Map<Integer, Integer> attemptsRunning = new HashMap<>();
    running.values().forEach(r -> attemptsRunning.merge(r.index(), 1, Integer::sum));
    int marked = 0;
    for (Running r : running.values()) {
      if (!succeeded[r.index()] && attemptsRunning.get(r.index()) == 1 && now - r.launchMs() > threshold
          && speculatable.add(r.index())) {
        marked++;
      }
    }
    return marked;
  }

  /**
   * A speculatable task that may get a copy on {@code executorId} at {@code host}, taken off the
   * list; or -1. With {@code otherHosts} (the cluster has executors on more than one host), only a
   * task none of whose attempts runs on that host: a straggler is most often its machine's fault
   * (a slow disk, a busy neighbour), so a copy on the same machine would likely straggle too, as
   * Spark reasons. On one host, a task none of whose attempts runs on that executor.
   */
  private int pollSpeculative(String executorId, String host, boolean otherHosts) {
    for (int index : speculatable) {
      boolean here = running.values().stream().anyMatch(r -> r.index() == index
          && (otherHosts ? r.host().equals(host) : r.executorId().equals(executorId)));
      if (!here && !succeeded[index]) {
        speculatable.remove(index);
        speculativeLaunches++;
        return index;
      }
    }
    return -1;
  }

  /** The other running attempts of {@code winner}'s task: to kill, now that it succeeded. */
  public List<Running> otherAttempts(Running winner) {
    return running.values().stream().filter(r -> r.index() == winner.index() && r.taskId() != winner.taskId()).toList();
  }

  /** Speculative copies launched so far. */
  public int speculativeLaunches() {
    return speculativeLaunches;
  }
}
