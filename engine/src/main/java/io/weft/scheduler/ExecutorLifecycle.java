package io.weft.scheduler;

import io.weft.WeftConf;
import io.weft.cluster.ClusterBackend;
import io.weft.cluster.ExecutorInfo;
import io.weft.config.ExecutorOptions;
import io.weft.executor.TaskMetrics;
import io.weft.scheduler.SchedulerEvent.ExecutorAdded;
import io.weft.scheduler.SchedulerEvent.ExecutorLost;
import io.weft.scheduler.SchedulerEvent.ExecutorsExhausted;
import io.weft.scheduler.SchedulerEvent.HeartbeatReceived;
import io.weft.scheduler.SchedulerEvent.HeartbeatTimerFired;
import io.weft.scheduler.task.TaskScheduler;
import io.weft.status.ListenerBus;
import io.weft.status.ListenerEvent;
import io.weft.util.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's side of executors coming and going. It gives a new executor's slots to the
 * task scheduler; turns a lost executor into failed attempts of the tasks it ran (they run again
 * elsewhere) and forgets its map outputs and cached blocks; declares lost an executor that
 * stopped heartbeating though its connection stays open, and asks the backend to kill it; and
 * knows when no executor is left and the backend can start none, so that jobs fail saying why
 * instead of waiting forever.
 *
 * <p>Heartbeats are checked every {@code weft.executor.heartbeatInterval} by a timer event the
 * scheduler posts to itself, against {@code weft.executor.heartbeatTimeout}, on the injected
 * {@link Clock}; only for backends whose executors heartbeat.
 *
 * <p>Threading: owned by the scheduler's event thread (called from {@link DagScheduler#handle}).
 */
final class ExecutorLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorLifecycle.class);

  /** What this needs from the DAG scheduler. */
  interface Jobs {
    /** A task attempt ended: here, because its executor was lost. */
    void taskEnded(long taskId, TaskOutcome outcome);

    /** No executor is left and none can be started: every active job must fail with {@code reason}. */
    void noExecutorsLeft(String reason);
  }

  private final TaskScheduler tasks;
  private final MapOutputTracker mapOutputs;
  private final CacheTracker cache;
  private final ClusterBackend backend;
  private final ListenerBus bus;
  private final Clock clock;
  private final EventSink<SchedulerEvent> events;
  private final Jobs jobs;
  /** Null when the backend's executors do not heartbeat (local mode). */
  private final HeartbeatMonitor heartbeats;
  private final long checkIntervalMs;
  private boolean timerArmed;
  private String exhausted;

  ExecutorLifecycle(TaskScheduler tasks, MapOutputTracker mapOutputs, CacheTracker cache,
      ClusterBackend backend, ListenerBus bus, Clock clock, EventSink<SchedulerEvent> events,
      WeftConf conf, Jobs jobs) {
    this.tasks = tasks;
    this.mapOutputs = mapOutputs;
    this.cache = cache;
    this.backend = backend;
    this.bus = bus;
    this.clock = clock;
    this.events = events;
    this.jobs = jobs;
    long timeoutMs = ExecutorOptions.heartbeatTimeoutMs(conf);
    this.heartbeats = backend.executorsHeartbeat() ? new HeartbeatMonitor(clock, timeoutMs) : null;
    this.checkIntervalMs = conf.get(ExecutorOptions.HEARTBEAT_INTERVAL);
  }

  /** Handles {@code event} if it is about executors; false if it is not. */
  boolean handle(SchedulerEvent event) {
    if (event instanceof ExecutorAdded e) {
      added(e.executor());
    } else if (event instanceof ExecutorLost e) {
      lost(e.executorId(), e.reason());
    } else if (event instanceof HeartbeatReceived e) {
      if (heartbeats != null) {
        heartbeats.heartbeat(e.executorId());
      }
    } else if (event instanceof HeartbeatTimerFired) {
      timerArmed = false;
      expireSilentExecutors();
      armHeartbeatTimer();
    } else if (event instanceof ExecutorsExhausted e) {
      exhausted(e.reason());
    } else {
      return false;
    }
    return true;
  }

  /** Why no task can run any more (no executor is left and none can come), or null. */
  String exhaustedReason() {
    return tasks.executors().isEmpty() ? exhausted : null;
  }

  private void added(ExecutorInfo executor) {
    exhausted = null;
    tasks.executorAdded(executor);
    if (heartbeats != null) {
      heartbeats.executorAdded(executor.executorId());
      armHeartbeatTimer();
    }
    bus.post(new ListenerEvent.ExecutorAdded(executor.executorId(), executor.host(), executor.slots(),
        clock.millis()));
  }

  private void lost(String executorId, String reason) {
    if (!tasks.hasExecutor(executorId)) {
      return;
    }
    LOG.warn("Executor {} lost: {}", executorId, reason);
    if (heartbeats != null) {
      heartbeats.executorRemoved(executorId);
    }
    List<Long> lostTasks = tasks.executorLost(executorId);
    for (long taskId : lostTasks) {
      jobs.taskEnded(taskId, new TaskOutcome.Failure(new TaskEndReason.ExecutorLost(executorId, reason),
          new TaskMetrics()));
    }
    mapOutputs.removeOutputsOnExecutor(executorId);
    cache.removeExecutor(executorId);
    bus.post(new ListenerEvent.ExecutorRemoved(executorId, reason, clock.millis()));
    if (exhaustedReason() != null) {
      jobs.noExecutorsLeft(exhausted);
    }
  }

  private void exhausted(String reason) {
    exhausted = reason;
    if (tasks.executors().isEmpty()) {
      LOG.error("No executor left and none can be started: {}", reason);
      jobs.noExecutorsLeft(reason);
    } else {
      LOG.warn("No more executors can be started ({}); going on with the {} still alive", reason,
          tasks.executors().size());
    }
  }

  private void expireSilentExecutors() {
    for (Map.Entry<String, Long> e : heartbeats.takeExpired().entrySet()) {
      String reason = "no heartbeat for " + e.getValue() + " ms (weft.executor.heartbeatTimeout is "
          + heartbeats.timeoutMs() + " ms)";
      backend.killExecutor(e.getKey(), reason);
      lost(e.getKey(), reason);
    }
  }

  private void armHeartbeatTimer() {
    if (heartbeats != null && !timerArmed && !tasks.executors().isEmpty()) {
      timerArmed = true;
      events.postLater(new HeartbeatTimerFired(), checkIntervalMs);
    }
  }
}
