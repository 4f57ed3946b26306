package io.weft.scheduler.task;

import io.weft.scheduler.TaskDescription;
import io.weft.scheduler.TaskEndReason;
import io.weft.util.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Schedules the tasks of one stage attempt: which task goes to a free slot, with delay
 * scheduling over locality levels, and what a task's failure means (retry, or give up after
 * {@code maxFailures} attempts).
 *
 * <p>Delay scheduling: the set starts at its best valid level (PROCESS_LOCAL if some partition is
 * cached, NODE_LOCAL if some have preferred hosts, ANY). A slot is only given a task at the
 * current level or better; after {@code localityWaitMs} without launching anything at that level,
 * the set moves one level worse. Launching a task at a level moves the set back to it. Example:
 * with wait 3 s and tasks preferring host h1 whose slots are busy, a free slot on h2 stays idle
 * for up to 3 s, then takes an h1 task at ANY.
 *
 * <p>Pending queues are lazy: a task index stays in every queue it was put in, and is skipped
 * when dequeued if it is already running or done.
 *
 * <p>Threading: owned by the scheduler's event thread.
 */
public final class TaskSetManager {
  private final TaskSet taskSet;
  private final Clock clock;
  private final long localityWaitMs;
  private final int maxFailures;

  private final int[] failures;
  /** Per task, the executors that died while running one of its attempts, with why. */
  private final List<List<String>> executorDeaths;
  private final int[] attempts;
  private final boolean[] succeeded;
  private final boolean[] runningOrDone;
  private int numSucceeded;
  private final Map<Long, Running> running = new HashMap<>();
  private boolean zombie;

  private final Map<String, ArrayDeque<Integer>> byExecutor = new HashMap<>();
  private final Map<String, ArrayDeque<Integer>> byHost = new HashMap<>();
  private final ArrayDeque<Integer> all = new ArrayDeque<>();
  private final List<TaskLocality> levels = new ArrayList<>();
  private int levelIndex;
  private long lastLaunchMs;

  /** A running attempt: which task (position in the set), where, which attempt. */
  public record Running(long taskId, int index, String executorId, int attempt, long launchMs) {}

  public TaskSetManager(TaskSet taskSet, Clock clock, long localityWaitMs, int maxFailures) {
    this.taskSet = taskSet;
    this.clock = clock;
    this.localityWaitMs = localityWaitMs;
    this.maxFailures = maxFailures;
    int n = taskSet.tasks().size();
    this.failures = new int[n];
    this.executorDeaths = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      executorDeaths.add(new ArrayList<>());
    }
    this.attempts = new int[n];
    this.succeeded = new boolean[n];
    this.runningOrDone = new boolean[n];
    for (int i = n - 1; i >= 0; i--) {
      enqueue(i);
    }
    this.lastLaunchMs = clock.millis();
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

  /** Recomputes the valid locality levels for the executors now alive (host → executors). */
  public void updateLevels(Map<String, Set<String>> executorsByHost) {
    levels.clear();
    boolean process = false;
    boolean node = false;
    for (Map.Entry<String, ArrayDeque<Integer>> e : byExecutor.entrySet()) {
      process |= executorsByHost.values().stream().anyMatch(s -> s.contains(e.getKey()));
    }
    for (String host : byHost.keySet()) {
      node |= executorsByHost.containsKey(host);
    }
    if (process) {
      levels.add(TaskLocality.PROCESS_LOCAL);
    }
    if (node) {
      levels.add(TaskLocality.NODE_LOCAL);
    }
    levels.add(TaskLocality.ANY);
    levelIndex = Math.min(levelIndex, levels.size() - 1);
  }

  /** The worst level a task may be launched at right now, moving down after waits expire. */
  public TaskLocality allowedLevel() {
    long now = clock.millis();
    while (levelIndex < levels.size() - 1) {
      if (!hasPendingAt(levels.get(levelIndex))) {
        levelIndex++;
      } else if (now - lastLaunchMs >= localityWaitMs) {
        lastLaunchMs += localityWaitMs;
        levelIndex++;
      } else {
        break;
      }
    }
    return levels.isEmpty() ? TaskLocality.ANY : levels.get(levelIndex);
  }

  /** When the allowed level may next get worse, or -1 if it cannot (already ANY, or nothing waits). */
  public long nextLevelChangeMs() {
    if (zombie || levelIndex >= levels.size() - 1 || !hasPending()) {
      return -1;
    }
    return lastLaunchMs + localityWaitMs;
  }

  public List<TaskLocality> levels() {
    return levels;
  }

  /**
   * A task for a free slot on {@code executorId}@{@code host}, at locality {@code level} exactly
   * (the caller walks the levels from best to the allowed one), or null.
   */
  public TaskDescription offer(String executorId, String host, TaskLocality level, long taskId) {
    if (zombie) {
      return null;
    }
    Integer index = switch (level) {
      case PROCESS_LOCAL -> poll(byExecutor.get(executorId));
      case NODE_LOCAL -> poll(byHost.get(host));
      case RACK_LOCAL -> null;
      case ANY -> poll(all);
    };
    if (index == null) {
      return null;
    }
    TaskSet.PendingTask t = taskSet.tasks().get(index);
    int attempt = attempts[index]++;
    runningOrDone[index] = true;
    long now = clock.millis();
    running.put(taskId, new Running(taskId, index, executorId, attempt, now));
    int li = levels.indexOf(level);
    if (li >= 0) {
      levelIndex = li;
    }
    lastLaunchMs = now;
    return new TaskDescription(taskId, attempt, taskSet.stageId(), taskSet.stageAttempt(),
        t.partitionIndex(), taskSet.shuffleMapStage(), taskSet.taskBinary(), t.partition(),
        taskSet.shuffleReads().blocksFor(t.partitionIndex()));
  }

  /** A task succeeded; returns its attempt, or null if another attempt of it already had. */
  public Running succeeded(long taskId) {
    Running r = running.remove(taskId);
    if (r == null || succeeded[r.index()]) {
      return null;
    }
    succeeded[r.index()] = true;
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
    runningOrDone[index] = false;
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
      enqueue(index);
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

  public boolean hasPending() {
    for (int i = 0; i < runningOrDone.length; i++) {
      if (!runningOrDone[i]) {
        return true;
      }
    }
    return false;
  }

  private boolean hasPendingAt(TaskLocality level) {
    Map<String, ArrayDeque<Integer>> queues = switch (level) {
      case PROCESS_LOCAL -> byExecutor;
      case NODE_LOCAL -> byHost;
      default -> null;
    };
    if (queues == null) {
      return hasPending();
    }
    for (ArrayDeque<Integer> q : queues.values()) {
      for (Integer i : q) {
        if (!runningOrDone[i]) {
          return true;
        }
      }
    }
    return false;
  }

  private void enqueue(int index) {
    for (TaskLocation loc : taskSet.tasks().get(index).preferred()) {
      if (loc.executorId() != null) {
        byExecutor.computeIfAbsent(loc.executorId(), k -> new ArrayDeque<>()).push(index);
      }
      byHost.computeIfAbsent(loc.host(), k -> new ArrayDeque<>()).push(index);
    }
    all.push(index);
  }

  private Integer poll(ArrayDeque<Integer> queue) {
    if (queue == null) {
      return null;
    }
    while (!queue.isEmpty()) {
      int i = queue.pop();
      if (!runningOrDone[i]) {
        return i;
      }
    }
    return null;
  }
}
