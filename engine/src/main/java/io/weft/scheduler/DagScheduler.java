package io.weft.scheduler;

import io.weft.JobCancelledException;
import io.weft.JobFailedException;
import io.weft.WeftConf;
import io.weft.cluster.ClusterBackend;
import io.weft.config.SchedulerOptions;
import io.weft.config.Sizes;
import io.weft.scheduler.SchedulerEvent.JobCancelled;
import io.weft.scheduler.SchedulerEvent.JobSubmitted;
import io.weft.scheduler.SchedulerEvent.LocalityTimerFired;
import io.weft.scheduler.SchedulerEvent.ResubmitFailedStages;
import io.weft.scheduler.SchedulerEvent.TaskEnded;
import io.weft.scheduler.task.LocalityWaits;
import io.weft.scheduler.task.TaskScheduler;
import io.weft.scheduler.task.TaskSet;
import io.weft.scheduler.task.TaskSetManager;
import io.weft.serialization.JavaSerializer;
import io.weft.serialization.SerializerInstance;
import io.weft.status.ListenerBus;
import io.weft.status.ListenerEvent;
import io.weft.util.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs as DAGs of stages. On a submitted job it plans the stages ({@link StagePlanner}),
 * submits every stage whose parents' shuffle output is available and parks the others until
 * their parents finish; it turns task ends into progress, retries (through the task set), re-runs
 * of lost map output (on fetch failure or a lost executor) and, when nothing can help, the job's
 * failure with the task's own exception.
 *
 * <p>Nothing waits forever: executors lost for good ({@link ExecutorLifecycle}) fail the jobs
 * that need them; and an error thrown while handling an event leaves the scheduler's state half
 * updated, so it fails every job and stops the scheduler: later jobs fail at once, saying why.
 *
 * <p>Threading: every method runs on the scheduler's event thread (checked); events come in
 * through {@link #handle}. Stage submission is split out into {@link StageSubmitter}, executor
 * events into {@link ExecutorLifecycle}, what a failed task means for its stage into
 * {@link TaskFailures}.
 */
public final class DagScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(DagScheduler.class);

  private final EventSink<SchedulerEvent> events;
  private final ClusterBackend backend;
  private final Clock clock;
  private final ListenerBus bus;
  private final Consumer<Map<Long, Long>> accumulatorSink;
  private final OutputCommitCoordinator commits;
  /** weft.driver.maxResultSize in bytes; 0 for no limit. */
  private final long maxResultBytes;
  private final SerializerInstance closureSerializer = JavaSerializer.instance();

  private final StagePlanner planner = new StagePlanner();
  private final MapOutputTracker mapOutputs = new MapOutputTracker();
  private final CacheTracker cache = new CacheTracker();
  private final TaskScheduler tasks;
  private final StageSubmitter submitter;
  private final ExecutorLifecycle executors;
  private final TaskFailures failures;
  /** Set when handling an event threw: the scheduler stopped and refuses every new job. */
  private Throwable internalError;

  private final Map<Integer, ActiveJob> jobs = new HashMap<>();
  /** Failed jobs whose killed tasks have not reported yet (their output may still be written). */
  private final List<ActiveJob> draining = new ArrayList<>();
  private final Map<Integer, Stage> stages = new HashMap<>();
  private final Set<Stage> waiting = new LinkedHashSet<>();
  private final Set<Stage> running = new LinkedHashSet<>();

  public DagScheduler(EventSink<SchedulerEvent> events, ClusterBackend backend, Clock clock,
      WeftConf conf, ListenerBus bus, Consumer<Map<Long, Long>> accumulatorSink,
      OutputCommitCoordinator commits) {
    this.events = events;
    this.backend = backend;
    this.clock = clock;
    this.bus = bus;
    this.accumulatorSink = accumulatorSink;
    this.commits = commits;
    this.maxResultBytes = conf.get(SchedulerOptions.MAX_RESULT_SIZE);
    this.tasks = new TaskScheduler(backend, clock, LocalityWaits.from(conf),
        conf.get(SchedulerOptions.TASK_MAX_FAILURES), backend.rackResolver(),
        delay -> events.postLater(new LocalityTimerFired(), delay));
    tasks.useExclusions(new io.weft.scheduler.task.ExcludeOnFailure(
        io.weft.scheduler.task.ExcludeOnFailure.Settings.from(conf), clock, bus::post, backend::excludedHostsChanged));
    tasks.useSpeculation(io.weft.scheduler.task.Speculation.from(conf));
    tasks.useLaunchListener((task, executorId, host, locality) -> bus.post(new ListenerEvent.TaskStarted(
        task.stageId(), task.stageAttempt(), task.taskId(), task.partitionIndex(), task.attemptNumber(),
        executorId, host, locality, clock.millis())));
    this.submitter = new StageSubmitter(mapOutputs, cache, tasks, closureSerializer,
        conf.get(SchedulerOptions.REDUCE_LOCALITY));
    this.executors = new ExecutorLifecycle(tasks, mapOutputs, cache, backend, bus, clock, events, conf,
        new ExecutorLifecycle.Jobs() {
          @Override
          public void taskEnded(long taskId, TaskOutcome outcome) {
            onTaskEnded(taskId, outcome);
          }

          @Override
          public void noExecutorsLeft(String reason) {
            failAllJobs("no executor is left and none can be started: " + reason, null);
          }
        });
    this.failures = new TaskFailures(new TaskFailures.Stages() {
      @Override
      public boolean isRunning(Stage stage) {
        return running.contains(stage);
      }

      @Override
      public void finished(Stage stage, String failure) {
        stageFinished(stage, failure);
      }

      @Override
      public void abortJobs(Stage stage, String reason, Throwable cause) {
        failJobsOf(stage, reason, cause);
      }

      @Override
      public void resubmit(Stage stage) {
        submitStage(stage);
      }
    }, tasks, mapOutputs, planner, commits, events, closureSerializer, conf.get(SchedulerOptions.STAGE_MAX_ATTEMPTS));
  }

  /**
   * Handles one event. Called by the event loop (or a test's synchronous sink). An error thrown
   * here stops the scheduler (see {@link #stopAfterInternalError}); it is not thrown on.
   */
  public void handle(SchedulerEvent event) {
    events.checkInLoop();
    if (internalError != null) {
      if (event instanceof JobSubmitted e) {
        e.waiter().jobFailed(new JobFailedException("Job " + e.jobId() + " not run: the scheduler "
            + "stopped after an internal error (" + internalError + "); restart the application", internalError));
      } else if (event instanceof SchedulerEvent.StateQueried e) {
        e.result().completeExceptionally(new IllegalStateException("the scheduler stopped after an internal error",
            internalError));
      }
      return;
    }
    try {
      dispatch(event);
      tasks.schedule();
    } catch (Throwable t) {
      stopAfterInternalError(event, t);
    }
  }

  private void dispatch(SchedulerEvent event) {
    if (event instanceof JobSubmitted e) {
      onJobSubmitted(e);
    } else if (event instanceof TaskEnded e) {
      onTaskEnded(e.taskId(), e.outcome());
    } else if (executors.handle(event)) {
      return;
    } else if (event instanceof JobCancelled e && e.jobId() < 0) {
      failAllJobs(e.reason(), null);
    } else if (event instanceof JobCancelled e) {
      ActiveJob job = jobs.get(e.jobId());
      if (job != null) {
        cancel(job, e.reason());
      }
    } else if (event instanceof SchedulerEvent.JobGroupCancelled e) {
      for (ActiveJob job : List.copyOf(jobs.values())) {
        if (e.groupId() == null || (job.group != null && job.group.id().equals(e.groupId()))) {
          cancel(job, e.reason());
        }
      }
    } else if (event instanceof SchedulerEvent.ShuffleUnreachable e) {
      removeShuffle(e.shuffleId());
    } else if (event instanceof SchedulerEvent.LocalCheckpointUnreachable e) {
      backend.removeShuffle(e.shuffleId());
    } else if (event instanceof SchedulerEvent.NodeUnpersisted e) {
      cache.removeNode(e.nodeId());
      e.confirmWhen(backend.removeCachedNodeConfirmed(e.nodeId()));
    } else if (event instanceof SchedulerEvent.BroadcastRemoved e) {
      e.confirmWhen(backend.removeBroadcast(e.broadcastId()));
    } else if (event instanceof SchedulerEvent.StateQueried e) {
      e.result().complete(new io.weft.status.StatusTracker.SchedulerState(tasks.executors().size(), mapOutputs.shuffleCount(),
          mapOutputs.mapOutputCount()));
    } else if (event instanceof ResubmitFailedStages) {
      failures.resubmitFailedStages();
    } else if (!(event instanceof LocalityTimerFired)) {
      throw new IllegalArgumentException("unknown event " + event);
    }
  }

  /**
   * Handling {@code event} threw, so the scheduler's state may be half updated and cannot be
   * trusted: every job fails at once with the error as its cause, running tasks are killed (best
   * effort), and every later job fails on submission. Also the event loop's error handler.
   */
  public void stopAfterInternalError(Object event, Throwable error) {
    LOG.error("The scheduler failed handling {}; failing every job and accepting no new one", event, error);
    internalError = error;
    Set<ActiveJob> all = new LinkedHashSet<>(jobs.values());
    for (ActiveJob job : all) {
      try {
        failJob(job, new JobFailedException("Job " + job.jobId + " failed: the scheduler stopped after "
            + "an internal error: " + error, error));
      } catch (RuntimeException e) {
        error.addSuppressed(e);
      }
    }
    all.addAll(draining);
    for (ActiveJob job : all) {
      job.waiter.jobFailed(job.failure != null ? job.failure
          : new JobFailedException("Job " + job.jobId + " failed: " + error, error));
    }
    jobs.clear();
    draining.clear();
  }

  /**
   * Fails every active job with {@code reason} (no executor can run them, or the context is
   * closing). Their callers hear at once: nothing will report the killed tasks any more.
   */
  void failAllJobs(String reason, Throwable cause) {
    for (ActiveJob job : List.copyOf(jobs.values())) {
      failJob(job, new JobFailedException("Job " + job.jobId + " failed: " + reason, cause));
    }
    for (ActiveJob job : List.copyOf(draining)) {
      draining.remove(job);
      job.waiter.jobFailed(job.failure);
    }
  }

  private void onJobSubmitted(JobSubmitted e) {
    String noExecutors = executors.exhaustedReason();
    if (noExecutors != null) {
      e.waiter().jobFailed(new JobFailedException("Job " + e.jobId() + " failed: no executor is left "
          + "and none can be started: " + noExecutors, null));
      return;
    }
    Stage.ResultStage stage;
    try {
      stage = planner.createResultStage(e.finalNode(), e.fn(), e.partitions(), e.jobId());
    } catch (RuntimeException ex) {
      e.waiter().jobFailed(ex);
      return;
    }
    ActiveJob job = new ActiveJob(e.jobId(), stage, e.waiter(), e.callSite(), e.group(), clock.millis());
    stage.job = job;
    jobs.put(job.jobId, job);
    registerStages(stage);
    LOG.info("Job {} submitted ({}): {} output partitions, final stage {}", job.jobId, e.callSite(),
        e.partitions().length, stage.id());
    bus.post(new ListenerEvent.JobStarted(job.jobId, new ArrayList<>(stages.keySet()), e.callSite(),
        clock.millis()));
    bus.post(new ListenerEvent.JobPlanned(job.jobId, io.weft.status.StageInfos.of(stage), clock.millis()));
    submitStage(stage);
  }

  private void registerStages(Stage stage) {
    if (stages.putIfAbsent(stage.id(), stage) == null || stage instanceof Stage.ShuffleMapStage) {
      for (Stage.ShuffleMapStage parent : stage.parents()) {
        mapOutputs.registerShuffle(parent.shuffleId(), parent.numPartitions());
        registerStages(parent);
      }
    }
  }

  /** Submits {@code stage} if its parents are available, else submits them and parks it. */
  private void submitStage(Stage stage) {
    ActiveJob job = activeJobFor(stage);
    if (job == null) {
      LOG.debug("{} has no active job; not submitting", stage);
      return;
    }
    if (waiting.contains(stage) || running.contains(stage) || failures.isParked(stage)) {
      return;
    }
    List<Stage.ShuffleMapStage> missing = new ArrayList<>();
    for (Stage.ShuffleMapStage parent : stage.parents()) {
      if (!mapOutputs.isAvailable(parent.shuffleId()) && !submitter.recoverMapOutputs(parent)) {
        missing.add(parent);
      }
    }
    if (missing.isEmpty()) {
      submitMissingTasks(stage, job);
    } else {
      missing.sort(Comparator.comparingInt(Stage::id));
      missing.forEach(this::submitStage);
      waiting.add(stage);
    }
  }

  private void submitMissingTasks(Stage stage, ActiveJob job) {
    running.add(stage);
    TaskSet set;
    try {
      set = submitter.nextAttempt(stage, job);
    } catch (StageSubmitter.NotSerializableException e) {
      abortStageBeforeRun(stage, "Task not serializable: " + e.getCause(), e.getCause());
      return;
    }
    bus.post(new ListenerEvent.StageSubmitted(stage.id(), stage.latestAttempt(), stage.node().toString(),
        set.tasks().size(), clock.millis(), set.taskBinary().length));
    if (set.tasks().isEmpty()) {
      stageFinished(stage, null);
    } else {
      tasks.submit(set);
    }
  }

  /** Before the loop starts: journal finished map stages to, and recover them from, {@code r}. */
  public void useMapOutputRecovery(io.weft.recovery.MapOutputRecovery r) {
    submitter.useMapOutputRecovery(r);
  }

  /** The earliest active job that needs {@code stage}. */
  private ActiveJob activeJobFor(Stage stage) {
    return stage.jobIds.stream().sorted().map(jobs::get).filter(j -> j != null).findFirst().orElse(null);
  }

  private void stageFinished(Stage stage, String failure) {
    running.remove(stage);
    if (failure == null) {
      // the bound on stage attempts is on consecutive failures, as in Spark: a stage that lost
      // its input once an hour must not fail the application on its fifth loss
      stage.failedAttempts = 0;
      LOG.info("{} finished; tasks by locality: {}", stage, stage.localitySummary());
    }
    bus.post(new ListenerEvent.StageCompleted(stage.id(), stage.latestAttempt(), failure, clock.millis()));
  }

  private void submitWaitingChildren(Stage parent) {
    List<Stage> ready = waiting.stream().filter(s -> s.parents().contains(parent))
        .sorted(Comparator.comparingInt(Stage::firstJobId)).toList();
    waiting.removeAll(ready);
    ready.forEach(this::submitStage);
  }

  private void onTaskEnded(long taskId, TaskOutcome outcome) {
    drained(taskId);
    TaskSetManager tsm = tasks.ownerOf(taskId);
    if (tsm == null) {
      LOG.debug("ignoring end of unknown or finished task {}", taskId);
      return;
    }
    TaskSetManager.Running attempt = tsm.running().get(taskId);
    tasks.taskEnded(taskId);
    if (outcome instanceof TaskOutcome.Failure f && f.reason() instanceof TaskEndReason.ExceptionFailure ef
        && ef.retry() == TaskEndReason.Retry.ELSEWHERE) {
      tasks.stopOffering(attempt.executorId());
    }
    Stage stage = stages.get(tsm.taskSet().stageId());
    if (stage == null) {
      // the stage's job already ended (a task killed after its job failed reports late)
      tsm.failed(taskId, new TaskEndReason.TaskKilled("job ended"));
      tasks.removeIfDone(tsm);
      return;
    }
    int partition = tsm.taskSet().tasks().get(attempt.index()).partitionIndex();
    boolean ok = outcome instanceof TaskOutcome.Success;
    bus.post(new ListenerEvent.TaskEnded(stage.id(), tsm.taskSet().stageAttempt(), taskId, partition,
        attempt.executorId(), ok, ok ? null : ((TaskOutcome.Failure) outcome).reason().describe(),
        outcome.metrics(), clock.millis(), attempt.locality()));
    if (outcome instanceof TaskOutcome.Success s) {
      if (tsm.succeeded(taskId) != null) {
        tasks.killOtherAttempts(tsm, attempt);
        stage.countSucceededAt(attempt.locality());
        onTaskSucceeded(stage, tsm, partition, attempt.executorId(), s);
      }
    } else {
      failures.taskFailed(stage, tsm, attempt, partition, ((TaskOutcome.Failure) outcome).reason());
    }
    tasks.removeIfDone(tsm);
  }

  private void onTaskSucceeded(Stage stage, TaskSetManager tsm, int partition, String executorId,
      TaskOutcome.Success s) {
    if (stage.accumulatorsMerged.add(partition)) {
      accumulatorSink.accept(s.accumulatorUpdates());
    }
    s.cachedBlocks().forEach(b -> cache.add(b, executorId));
    if (stage instanceof Stage.ResultStage rs) {
      ActiveJob job = rs.job;
      if (job == null) {
        return; // the job already failed or finished
      }
      int output = outputIndex(rs, partition);
      if (!job.finished[output]) {
        job.resultBytes += s.value().length;
        if (maxResultBytes > 0 && job.resultBytes > maxResultBytes) {
          failJob(job, new JobFailedException("Job " + job.jobId + " failed: the serialized results of "
              + (job.numFinished + 1) + " of " + job.finished.length + " tasks (" + Sizes.formatBytes(job.resultBytes)
              + ") are bigger than " + SchedulerOptions.MAX_RESULT_SIZE.key() + " ("
              + Sizes.formatBytes(maxResultBytes) + "); raise it, or write the result out instead of "
              + "collecting it", null));
          return;
        }
        job.finished[output] = true;
        job.numFinished++;
        job.waiter.taskSucceeded(output, s.value());
      }
      if (job.allFinished()) {
        stageFinished(stage, null);
        jobSucceeded(job);
      }
    } else {
      Stage.ShuffleMapStage ms = (Stage.ShuffleMapStage) stage;
      MapStatus status = closureSerializer.deserialize(s.value());
      if (tasks.hasExecutor(executorId)) {
        mapOutputs.registerMapOutput(ms.shuffleId(), partition, status);
      }
      ms.pendingPartitions.remove(partition);
      if (running.contains(ms) && ms.pendingPartitions.isEmpty()) {
        stageFinished(ms, null);
        if (mapOutputs.isAvailable(ms.shuffleId())) {
          LOG.info("{} finished; shuffle {} complete", ms, ms.shuffleId());
          submitter.journalMapStage(ms);
          submitWaitingChildren(ms);
        } else {
          LOG.info("{} finished but lost outputs meanwhile; re-running them", ms);
          submitStage(ms);
        }
      }
    }
  }

  private void jobSucceeded(ActiveJob job) {
    LOG.info("Job {} finished in {} ms", job.jobId, clock.millis() - job.startTimeMs);
    endJob(job);
    bus.post(new ListenerEvent.JobEnded(job.jobId, true, null, clock.millis()));
  }

  private void cancel(ActiveJob job, String reason) {
    String group = job.group == null ? "" : " of job group " + job.group;
    failJob(job, new JobCancelledException("Job " + job.jobId + group + " cancelled: " + reason,
        job.group == null ? null : job.group.id()));
  }

  /**
   * Fails a job. Its still-running tasks are killed, and the caller hears of the failure only
   * when they have all reported: an output job aborted while a task still writes would otherwise
   * find files reappearing after its clean-up.
   */
  private void failJob(ActiveJob job, JobFailedException error) {
    LOG.error("{}", error.getMessage().lines().findFirst().orElse("Job " + job.jobId + " failed")); // it names the job
    job.tasksToDrain.addAll(endJob(job));
    job.failure = error;
    bus.post(new ListenerEvent.JobEnded(job.jobId, false, error.getMessage(), clock.millis()));
    if (job.tasksToDrain.isEmpty()) {
      job.waiter.jobFailed(error);
    } else {
      draining.add(job);
    }
  }

  private void drained(long taskId) {
    for (ActiveJob job : List.copyOf(draining)) {
      if (job.tasksToDrain.remove(taskId) && job.tasksToDrain.isEmpty()) {
        draining.remove(job);
        job.waiter.jobFailed(job.failure);
      }
    }
  }

  /**
   * Forgets a job and stops the stages only it needed; their running tasks are killed and
   * returned.
   */
  private Set<Long> endJob(ActiveJob job) {
    Set<Long> killed = new HashSet<>();
    jobs.remove(job.jobId);
    job.finalStage.job = null;
    Set<Stage> jobStages = new HashSet<>();
    for (Stage s : stages.values()) {
      if (s.jobIds.remove(job.jobId) && s.jobIds.isEmpty()) {
        jobStages.add(s);
      }
    }
    for (Stage s : jobStages) {
      if (running.contains(s)) {
        stageFinished(s, "job " + job.jobId + " ended");
      }
      waiting.remove(s);
      failures.forget(s);
      commits.stageEnded(s.id());
      // forget the stage (a later job makes a new one and finds the map outputs registered), so
      // only the program's datasets keep a shuffle reachable: the context cleaner's signal
      stages.remove(s.id());
      if (s instanceof Stage.ShuffleMapStage ms && planner.stageOfShuffle(ms.shuffleId()) == ms) {
        planner.removeShuffle(ms.shuffleId());
      }
      for (TaskSetManager tsm : List.copyOf(tasks.activeTaskSets())) {
        if (tsm.taskSet().stageId() == s.id()) {
          tsm.markZombie();
          for (TaskSetManager.Running r : tsm.running().values()) {
            backend.killTask(r.executorId(), r.taskId(), "job ended");
            killed.add(r.taskId());
          }
          tasks.removeIfDone(tsm);
        }
      }
    }
    return killed;
  }

  /** The program dropped every dataset reading shuffle {@code shuffleId}: delete it everywhere. */
  private void removeShuffle(int shuffleId) {
    Stage.ShuffleMapStage stage = planner.stageOfShuffle(shuffleId);
    if (stage != null && stages.containsKey(stage.id())) {
      LOG.debug("Shuffle {} is still used by {}; not removing it", shuffleId, stage);
      return;
    }
    planner.removeShuffle(shuffleId);
    if (mapOutputs.containsShuffle(shuffleId)) {
      mapOutputs.removeShuffle(shuffleId);
      backend.removeShuffle(shuffleId);
      LOG.info("Removed shuffle {}: no dataset of the program refers to it any more", shuffleId);
    }
  }

  private static int outputIndex(Stage.ResultStage stage, int partition) {
    int i = stage.outputIndex(partition);
    if (i < 0) {
      throw new IllegalStateException("partition " + partition + " is not computed by " + stage);
    }
    return i;
  }

  /** Fails the jobs of a stage that cannot even be submitted (e.g. its closure is not serializable). */
  private void abortStageBeforeRun(Stage stage, String message, Throwable cause) {
    running.remove(stage);
    failJobsOf(stage, "aborted: " + message, cause);
  }

  /** Fails every job that needs {@code stage}: "Job N " + {@code reason}. */
  private void failJobsOf(Stage stage, String reason, Throwable cause) {
    for (ActiveJob job : List.copyOf(jobs.values())) {
      if (stage.jobIds.contains(job.jobId)) {
        failJob(job, new JobFailedException("Job " + job.jobId + " " + reason, cause));
      }
    }
  }

  /** True when no job, stage or task is left: tests assert it after every scenario. */
  public boolean isIdle() {
    return jobs.isEmpty() && draining.isEmpty() && waiting.isEmpty() && running.isEmpty() && failures.isEmpty()
        && tasks.isIdle();
  }

  public MapOutputTracker mapOutputTracker() {
    return mapOutputs;
  }

  public TaskScheduler taskScheduler() {
    return tasks;
  }
}
