package io.weft.scheduler;

import io.weft.scheduler.SchedulerEvent.ResubmitFailedStages;
import io.weft.scheduler.task.TaskScheduler;
import io.weft.scheduler.task.TaskSetManager;
import io.weft.serialization.SerializerInstance;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed task means for its stage. Usually nothing beyond the task set's own retry; a task
 * that failed too often, or with a failure no retry can fix, aborts the jobs that need its stage, with the task's own exception as the
 * cause; a fetch failure ends the stage's attempt, forgets the lost map output and parks the
 * stage and the map stage that wrote the output as failed. The first such failure schedules a
 * {@link ResubmitFailedStages} a moment later, so the other reducers of the same lost output
 * report theirs first and one resubmission re-runs all of it; a stage that failed
 * {@code weft.stage.maxAttempts} times in a row is aborted instead.
 *
 * <p>Threading: owned by the scheduler's event thread; {@link DagScheduler} calls it from there
 * and it calls back into the scheduler through {@link Stages}.
 */
final class TaskFailures {
  private static final Logger LOG = LoggerFactory.getLogger(TaskFailures.class);

  /** How long the other reducers of a lost map output get to report before the resubmission. */
  static final long RESUBMIT_DELAY_MS = 50;

  /** What the DAG scheduler does for the stage of a failed task. Called on the event thread. */
  interface Stages {
    /** Whether {@code stage} has an attempt running now. */
    boolean isRunning(Stage stage);

    /** The running attempt of {@code stage} ended with {@code failure}. */
    void finished(Stage stage, String failure);

    /** Fails every job that needs {@code stage}: "Job N " + {@code reason}, with {@code cause}. */
    void abortJobs(Stage stage, String reason, Throwable cause);

    /** Submits {@code stage} again (and its missing parents first). */
    void resubmit(Stage stage);
  }

  private final Stages stages;
  private final TaskScheduler tasks;
  private final MapOutputTracker mapOutputs;
  private final StagePlanner planner;
  private final OutputCommitCoordinator commits;
  private final EventSink<SchedulerEvent> events;
  private final SerializerInstance closureSerializer;
  private final int maxStageAttempts;
  /** Stages waiting for the resubmission after a fetch failure. */
  private final Set<Stage> failed = new LinkedHashSet<>();

  TaskFailures(Stages stages, TaskScheduler tasks, MapOutputTracker mapOutputs, StagePlanner planner,
      OutputCommitCoordinator commits, EventSink<SchedulerEvent> events, SerializerInstance closureSerializer,
      int maxStageAttempts) {
    this.stages = stages;
    this.tasks = tasks;
    this.mapOutputs = mapOutputs;
    this.planner = planner;
    this.commits = commits;
    this.events = events;
    this.closureSerializer = closureSerializer;
    this.maxStageAttempts = maxStageAttempts;
  }

  /** Attempt {@code attempt} of partition {@code partition} of {@code stage} failed for {@code reason}. */
  void taskFailed(Stage stage, TaskSetManager tsm, TaskSetManager.Running attempt, int partition,
      TaskEndReason reason) {
    commits.taskFailed(stage.id(), tsm.taskSet().stageAttempt(), partition, attempt.attempt());
    LOG.warn("Lost task {} (partition {}, attempt {}) of {} on executor {}: {}", attempt.taskId(),
        partition, attempt.attempt(), stage, attempt.executorId(), reason.describe());
    String abort = tsm.failed(attempt.taskId(), reason);
    tasks.taskFailed(attempt.executorId(), reason);
    if (reason instanceof TaskEndReason.FetchFailed ff) {
      fetchFailed(stage, tsm, ff);
    } else if (abort != null) {
      abort(stage, abort, reason);
    }
  }

  private void fetchFailed(Stage stage, TaskSetManager tsm, TaskEndReason.FetchFailed ff) {
    tsm.markZombie();
    if (tsm.taskSet().stageAttempt() != stage.latestAttempt() || !stages.isRunning(stage)) {
      return; // this attempt was already given up on
    }
    stages.finished(stage, ff.describe());
    Stage.ShuffleMapStage mapStage = planner.stageOfShuffle(ff.shuffleId());
    mapOutputs.unregisterMapOutput(ff.shuffleId(), ff.mapIndex(), ff.executorId());
    // a failed fetch most likely means the executor's files or server are gone: drop them all
    mapOutputs.removeOutputsOnExecutor(ff.executorId());
    if (++stage.failedAttempts >= maxStageAttempts) {
      abort(stage, stage + " failed " + stage.failedAttempts + " times; last: " + ff.describe(), ff);
      return;
    }
    boolean first = failed.isEmpty();
    failed.add(stage);
    if (mapStage != null) {
      failed.add(mapStage);
    }
    if (first) {
      // give other reducers of the same lost output a moment to report theirs too
      events.postLater(new ResubmitFailedStages(), RESUBMIT_DELAY_MS);
    }
  }

  /** On {@link ResubmitFailedStages}: submits the parked stages again, earliest job first. */
  void resubmitFailedStages() {
    List<Stage> toRun = failed.stream().sorted(Comparator.comparingInt(Stage::firstJobId)
        .thenComparingInt(Stage::id)).toList();
    failed.clear();
    LOG.info("Resubmitting failed stages {}", toRun);
    toRun.forEach(stages::resubmit);
  }

  /** Whether {@code stage} waits for the resubmission (it must not be submitted meanwhile). */
  boolean isParked(Stage stage) {
    return failed.contains(stage);
  }

  /** Forgets {@code stage} (its last job ended). */
  void forget(Stage stage) {
    failed.remove(stage);
  }

  boolean isEmpty() {
    return failed.isEmpty();
  }

  /** Fails every job that needs {@code stage}, with the task's exception as the cause. */
  private void abort(Stage stage, String message, TaskEndReason reason) {
    Throwable cause = reason instanceof TaskEndReason.ExceptionFailure ef ? userException(ef) : null;
    String detail = reason instanceof TaskEndReason.ExceptionFailure ef && ef.stackTrace() != null
        ? "\n" + ef.stackTrace() : "";
    stages.abortJobs(stage, "aborted due to stage failure: " + message + detail, cause);
  }

  private Throwable userException(TaskEndReason.ExceptionFailure ef) {
    if (ef.exception() != null) {
      try {
        return closureSerializer.deserialize(ef.exception());
      } catch (RuntimeException e) {
        LOG.debug("could not deserialize the task's exception", e);
      }
    }
    return new RemoteTaskException(ef.className(), ef.message(), ef.stackTrace());
  }
}
