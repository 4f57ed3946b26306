package io.weft.ui;

import io.weft.config.UiOptions;
import io.weft.executor.TaskMetrics;
import io.weft.status.ListenerEvent;
import io.weft.status.ListenerEvent.StageInfo;
import io.weft.status.WeftListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * What the web UI shows about one application, built from its listener events: live on the
 * listener bus in the ApplicationMaster, or replayed from an event log by the history server.
 * Answers with plain maps and lists that {@link io.weft.status.Json} writes as the JSON of the
 * {@code /api/v1} endpoints ({@link UiHandler}).
 *
 * <p>Threading: {@link #onEvent} runs on the listener bus thread, the readers on HTTP threads;
 * every method takes the store's lock, and readers copy what they return.
 */
public final class AppStatusStore implements WeftListener {
  private final LongSupplier clock;
  private String appId;
  private String appName = "";
  private String user = "";
  private String master = "";
  private long startMs = -1;
  private long endMs = -1;
  private Map<String, String> runtime = Map.of();
  private Map<String, String> config = Map.of();
  private final Map<Integer, JobData> jobs = new TreeMap<>();
  private final Map<Integer, StageData> stages = new TreeMap<>();
  private final Map<String, ExecutorData> executors = new LinkedHashMap<>();
  // weft.ui.retained*: read from the application's settings in EnvironmentUpdated, so the history
  // server keeps what the live UI kept
  private int retainedJobs = UiOptions.RETAINED_JOBS.parse(null);
  private int retainedStages = UiOptions.RETAINED_STAGES.parse(null);
  private int retainedTasks = UiOptions.RETAINED_TASKS.parse(null);
  private long droppedJobs;
  private long droppedStages;
  private int highestDroppedStage = -1;
  /** The last state of dropped stages that a kept job still lists, for its counts and DAG. */
  private final Map<Integer, DroppedStage> droppedStageInfo = new HashMap<>();

  private record DroppedStage(String status, int numTasks, int succeeded) {}

  private static final class JobData {
    int jobId;
    String callSite;
    long startMs;
    long endMs = -1;
    String status = "RUNNING";
    String failure;
    List<Integer> stageIds = List.of();
  }

  private static final class StageData {
    StageInfo info;
    int stageId;
    int attempt;
    String name = "";
    int numTasks;
    /** The latest attempt's serialized task binary, in bytes (0: not known). */
    long taskBinaryBytes;
    String status = "PENDING";
    long submittedMs = -1;
    long completedMs = -1;
    String failure;
    final List<Integer> jobIds = new ArrayList<>();
    final TaskTable tasks = new TaskTable();
    List<String> findings = List.of();
  }

  private static final class ExecutorData {
    String executorId;
    String host;
    int slots;
    long addedMs;
    long removedMs = -1;
    String removedReason;
    int active;
    int completed;
    int failed;
    long taskTimeMs;
    long gcTimeMs;
    long inputBytes;
    long shuffleReadBytes;
    long shuffleWriteBytes;
    long spillBytes;
    /** The last memory report (null until the first heartbeat or, in local mode, task). */
    ListenerEvent.ExecutorMemoryUpdated memory;
  }

  /** A store whose running tasks' durations count up to the wall clock. */
  public AppStatusStore() {
    this(System::currentTimeMillis);
  }

  public AppStatusStore(LongSupplier clock) {
    this.clock = clock;
  }

  /** Replays {@code events} (an event log) into a new store; running durations end at the last event. */
  public static AppStatusStore replay(List<ListenerEvent> events) {
    long[] last = {0};
    AppStatusStore store = new AppStatusStore(() -> last[0]);
    for (ListenerEvent e : events) {
      last[0] = Math.max(last[0], timeOf(e));
      store.onEvent(e);
    }
    return store;
  }

  /** The event's {@code timeMs} component (every event has one; the accessor is looked up once per type). */
  static long timeOf(ListenerEvent e) {
    try {
      return (long) TIME.get(e.getClass()).invoke(e);
    } catch (ReflectiveOperationException | RuntimeException ex) {
      return 0;
    }
  }

  private static final ClassValue<java.lang.reflect.Method> TIME = new ClassValue<>() {
    @Override
    protected java.lang.reflect.Method computeValue(Class<?> type) {
      try {
        return type.getMethod("timeMs");
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(type + " has no timeMs", e);
      }
    }
  };

  @Override
  public synchronized void onEvent(ListenerEvent event) {
    if (event instanceof ListenerEvent.ApplicationStarted a) {
      appId = a.appId();
      appName = a.appName();
      user = a.user();
      master = a.master();
      startMs = a.timeMs();
    } else if (event instanceof ListenerEvent.ApplicationEnded a) {
      endMs = a.timeMs();
    } else if (event instanceof ListenerEvent.EnvironmentUpdated env) {
      runtime = new LinkedHashMap<>(env.runtime());
      config = new TreeMap<>(env.config());
      retainFrom(config);
    } else if (event instanceof ListenerEvent.JobStarted j) {
      JobData job = jobs.computeIfAbsent(j.jobId(), id -> new JobData());
      job.jobId = j.jobId();
      job.callSite = j.callSite();
      job.startMs = j.timeMs();
    } else if (event instanceof ListenerEvent.JobPlanned p) {
      onJobPlanned(p);
    } else if (event instanceof ListenerEvent.JobEnded j) {
      onJobEnded(j);
    } else if (event instanceof ListenerEvent.StageSubmitted s) {
      StageData stage = stage(s.stageId());
      stage.attempt = s.attempt();
      stage.name = s.name();
      stage.numTasks = s.numTasks();
      stage.taskBinaryBytes = s.taskBinaryBytes();
      stage.status = "ACTIVE";
      stage.submittedMs = s.timeMs();
      stage.completedMs = -1;
      stage.failure = null;
    } else if (event instanceof ListenerEvent.StageCompleted s) {
      StageData stage = stage(s.stageId());
      stage.status = s.failure() == null ? "COMPLETE" : "FAILED";
      stage.failure = s.failure();
      stage.completedMs = s.timeMs();
      dropOldStages();
    } else if (event instanceof ListenerEvent.StageDiagnosed d) {
      stage(d.stageId()).findings = List.copyOf(d.findings());
    } else if (event instanceof ListenerEvent.TaskStarted t) {
      onTaskStarted(t);
    } else if (event instanceof ListenerEvent.TaskEnded t) {
      onTaskEnded(t);
    } else if (event instanceof ListenerEvent.ExecutorAdded a) {
      ExecutorData e = executor(a.executorId());
      e.host = a.host();
      e.slots = a.slots();
      e.addedMs = a.timeMs();
    } else if (event instanceof ListenerEvent.ExecutorRemoved r) {
      ExecutorData e = executor(r.executorId());
      e.removedMs = r.timeMs();
      e.removedReason = r.reason();
    } else if (event instanceof ListenerEvent.ExecutorMemoryUpdated m) {
      executor(m.executorId()).memory = m;
    }
  }

  private void onJobPlanned(ListenerEvent.JobPlanned p) {
    JobData job = jobs.computeIfAbsent(p.jobId(), id -> new JobData());
    List<Integer> ids = new ArrayList<>();
    for (StageInfo info : p.stages()) {
      StageData stage = stage(info.stageId());
      stage.info = info;
      if (stage.name.isEmpty()) {
        stage.name = info.name();
        stage.numTasks = info.numTasks();
      }
      if (!stage.jobIds.contains(p.jobId())) {
        stage.jobIds.add(p.jobId());
      }
      ids.add(info.stageId());
    }
    job.stageIds = ids;
  }

  private void onJobEnded(ListenerEvent.JobEnded j) {
    JobData job = jobs.computeIfAbsent(j.jobId(), id -> new JobData());
    job.endMs = j.timeMs();
    job.status = j.succeeded() ? "SUCCEEDED" : "FAILED";
    job.failure = j.failure();
    for (int id : job.stageIds) {
      StageData s = stages.get(id);
      // a planned stage that never ran: its shuffle output was there from an earlier job
      if (s != null && "PENDING".equals(s.status) && j.succeeded()) {
        s.status = "SKIPPED";
      }
    }
    dropOldJobs();
    dropOldStages();
  }

  /** The retention limits among {@code settings} (the defaults for those not set or not valid). */
  private void retainFrom(Map<String, String> settings) {
    try {
      retainedJobs = UiOptions.RETAINED_JOBS.parse(settings.get(UiOptions.RETAINED_JOBS.key()));
      retainedStages = UiOptions.RETAINED_STAGES.parse(settings.get(UiOptions.RETAINED_STAGES.key()));
      retainedTasks = UiOptions.RETAINED_TASKS.parse(settings.get(UiOptions.RETAINED_TASKS.key()));
    } catch (IllegalArgumentException e) {
      // the driver validated its settings; a hand-edited log keeps whatever parsed
    }
  }

  /** Drops the oldest finished jobs beyond weft.ui.retainedJobs; running ones stay. */
  private void dropOldJobs() {
    Iterator<JobData> it = jobs.values().iterator();
    List<Integer> orphanedStages = new ArrayList<>();
    while (jobs.size() > retainedJobs && it.hasNext()) {
      JobData j = it.next();
      if (j.endMs >= 0) {
        it.remove();
        droppedJobs++;
        orphanedStages.addAll(j.stageIds);
      }
    }
    for (int id : orphanedStages) {
      if (jobs.values().stream().noneMatch(j -> j.stageIds.contains(id))) {
        droppedStageInfo.remove(id);
      }
    }
  }

  /** Drops the oldest finished stages beyond weft.ui.retainedStages, tasks and all; active ones stay. */
  private void dropOldStages() {
    Iterator<StageData> it = stages.values().iterator();
    while (stages.size() > retainedStages && it.hasNext()) {
      StageData s = it.next();
      if (finished(s)) {
        it.remove();
        droppedStages++;
        droppedStageInfo.put(s.stageId, new DroppedStage(s.status, s.numTasks, s.tasks.succeeded()));
        highestDroppedStage = Math.max(highestDroppedStage, s.stageId);
      }
    }
  }

  /** Whether a stage will not change: ended, or planned but never run by jobs that all ended. */
  private boolean finished(StageData s) {
    if ("ACTIVE".equals(s.status)) {
      return false;
    }
    if (!"PENDING".equals(s.status)) {
      return true;
    }
    for (int jobId : s.jobIds) {
      JobData j = jobs.get(jobId);
      if (j != null && j.endMs < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * A late event (a killed speculative copy) of a stage retention already dropped: not recreated.
   * Every stage is known from its job's plan before its tasks run, so an unknown id at or below
   * the highest dropped one was dropped.
   */
  private boolean dropped(int stageId) {
    return !stages.containsKey(stageId) && stageId <= highestDroppedStage;
  }

  private void onTaskStarted(ListenerEvent.TaskStarted t) {
    if (dropped(t.stageId())) {
      executor(t.executorId()).active++;
      return;
    }
    TaskTable.Row r = stage(t.stageId()).tasks.started(t.taskId());
    r.partition = t.partition();
    r.attempt = t.attempt();
    r.stageAttempt = t.stageAttempt();
    r.executorId = t.executorId();
    r.host = t.host();
    r.locality = t.locality();
    r.launchMs = t.timeMs();
    executor(t.executorId()).active++;
  }

  private void onTaskEnded(ListenerEvent.TaskEnded t) {
    if (dropped(t.stageId())) {
      ExecutorData e = executor(t.executorId());
      e.active = Math.max(0, e.active - 1);
      if (t.succeeded()) {
        e.completed++;
      } else {
        e.failed++;
      }
      return;
    }
    StageData stage = stage(t.stageId());
    boolean knownStart = stage.tasks.contains(t.taskId());
    TaskTable.Row r = stage.tasks.ended(t.taskId(), t.succeeded());
    if (!knownStart) { // a log that began after the task's start
      r.executorId = t.executorId();
      r.partition = t.partition();
      r.launchMs = t.timeMs() - (t.metrics() == null ? 0 : t.metrics().runTimeMs());
    }
    // TaskEndReason.TaskKilled describes itself as "killed: <why>"
    r.status = t.succeeded() ? "SUCCESS" : t.failure() != null && t.failure().startsWith("killed") ? "KILLED" : "FAILED";
    r.endMs = t.timeMs();
    r.failure = t.failure();
    r.metrics = t.metrics();
    if (t.locality() != null) {
      r.locality = t.locality();
    }
    ExecutorData e = executor(t.executorId());
    e.active = Math.max(0, e.active - (knownStart ? 1 : 0));
    if (t.succeeded()) {
      e.completed++;
    } else {
      e.failed++;
    }
    e.taskTimeMs += r.durationMs(r.endMs);
    stage.tasks.retain(retainedTasks);
    TaskMetrics m = t.metrics();
    if (m != null) {
      e.gcTimeMs += m.gcTimeMs();
      e.inputBytes += m.inputBytes();
      e.shuffleReadBytes += m.shuffleReadBytes();
      e.shuffleWriteBytes += m.shuffleWriteBytes();
      e.spillBytes += m.spillBytes();
    }
  }

  private StageData stage(int id) {
    return stages.computeIfAbsent(id, k -> {
      StageData s = new StageData();
      s.stageId = k;
      return s;
    });
  }

  private ExecutorData executor(String id) {
    return executors.computeIfAbsent(id, k -> {
      ExecutorData e = new ExecutorData();
      e.executorId = k;
      return e;
    });
  }

  // ------------------------------------------------------------------ readers (JSON shapes)

  public synchronized String appId() {
    return appId;
  }

  /** The application: id, name, user, start, end (-1 while running), duration, jobs by status. */
  public synchronized Map<String, Object> application() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", appId);
    m.put("name", appName);
    m.put("user", user);
    m.put("master", master);
    m.put("startTime", startMs);
    m.put("endTime", endMs);
    m.put("duration", startMs < 0 ? 0 : (endMs < 0 ? clock.getAsLong() : endMs) - startMs);
    m.put("completed", endMs >= 0);
    long failedJobs = jobs.values().stream().filter(j -> "FAILED".equals(j.status)).count();
    long running = jobs.values().stream().filter(j -> "RUNNING".equals(j.status)).count();
    m.put("numJobs", jobs.size());
    m.put("numFailedJobs", failedJobs);
    m.put("numRunningJobs", running);
    m.put("status", endMs < 0 ? "RUNNING" : failedJobs > 0 ? "FAILED JOBS" : "FINISHED");
    m.put("numDroppedJobs", droppedJobs);
    m.put("numDroppedStages", droppedStages);
    return m;
  }

  /** Every job, newest first, with its stages done of total and tasks done of total. */
  public synchronized List<Map<String, Object>> jobs() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (JobData j : jobs.values()) {
      out.add(0, job(j, false));
    }
    return out;
  }

  /** One job with its DAG (stages with parents, operations and state), or null if unknown. */
  public synchronized Map<String, Object> job(int jobId) {
    JobData j = jobs.get(jobId);
    return j == null ? null : job(j, true);
  }

  private Map<String, Object> job(JobData j, boolean withDag) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jobId", j.jobId);
    m.put("name", j.callSite);
    m.put("status", j.status);
    m.put("submissionTime", j.startMs);
    m.put("completionTime", j.endMs);
    m.put("duration", (j.endMs < 0 ? clock.getAsLong() : j.endMs) - j.startMs);
    m.put("failure", j.failure);
    int done = 0;
    int skipped = 0;
    long tasks = 0;
    long tasksDone = 0;
    List<Map<String, Object>> dag = new ArrayList<>();
    for (int id : j.stageIds) {
      StageData s = stages.get(id);
      DroppedStage d = s != null ? new DroppedStage(s.status, s.numTasks, s.tasks.succeeded())
          : droppedStageInfo.getOrDefault(id, new DroppedStage("DROPPED", 0, 0));
      done += "COMPLETE".equals(d.status()) ? 1 : 0;
      skipped += "SKIPPED".equals(d.status()) ? 1 : 0;
      if (!"SKIPPED".equals(d.status())) {
        tasks += d.numTasks();
        tasksDone += Math.min(d.numTasks(), d.succeeded());
      }
      if (withDag && s != null) {
        Map<String, Object> node = stageSummary(s);
        node.put("parentIds", s.info == null ? List.of() : s.info.parentIds());
        node.put("operations", s.info == null ? List.of() : s.info.operations());
        dag.add(node);
      }
    }
    m.put("stageIds", j.stageIds);
    m.put("numStages", j.stageIds.size());
    m.put("numCompletedStages", done);
    m.put("numSkippedStages", skipped);
    m.put("numTasks", tasks);
    m.put("numCompletedTasks", tasksDone);
    if (withDag) {
      m.put("stages", dag);
    }
    return m;
  }

  /** Every stage, newest first. */
  public synchronized List<Map<String, Object>> stages() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (StageData s : stages.values()) {
      out.add(0, stageSummary(s));
    }
    return out;
  }

  private Map<String, Object> stageSummary(StageData s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("stageId", s.stageId);
    m.put("attemptId", s.attempt);
    m.put("name", s.name);
    m.put("status", s.status);
    m.put("jobIds", List.copyOf(s.jobIds));
    m.put("numTasks", s.numTasks);
    m.put("taskBinaryBytes", s.taskBinaryBytes);
    m.put("numCompleteTasks", s.tasks.succeeded());
    m.put("numFailedTasks", s.tasks.failed());
    m.put("numTaskAttempts", s.tasks.size());
    m.put("numDroppedTasks", s.tasks.dropped());
    m.put("submissionTime", s.submittedMs);
    m.put("completionTime", s.completedMs);
    m.put("failure", s.failure);
    m.put("findings", s.findings);
    return m;
  }

  /** One stage with its operations, running task count, summary quantiles and diagnosis; null if unknown. */
  public synchronized Map<String, Object> stageDetail(int stageId) {
    StageData s = stages.get(stageId);
    if (s == null) {
      return null;
    }
    Map<String, Object> m = stageSummary(s);
    m.put("parentIds", s.info == null ? List.of() : s.info.parentIds());
    m.put("operations", s.info == null ? List.of() : s.info.operations());
    m.put("numActiveTasks", s.tasks.running());
    m.put("summary", s.tasks.summary());
    return m;
  }

  /** The task attempts {@code offset} to {@code offset + length} of a stage, in launch order; null if unknown. */
  public synchronized Map<String, Object> tasks(int stageId, int offset, int length) {
    StageData s = stages.get(stageId);
    if (s == null) {
      return null;
    }
    long now = clock.getAsLong();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (TaskTable.Row r : s.tasks.page(offset, length)) {
      rows.add(taskRow(r, now));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("total", s.tasks.size());
    m.put("dropped", s.tasks.dropped());
    m.put("offset", offset);
    m.put("tasks", rows);
    return m;
  }

  private static Map<String, Object> taskRow(TaskTable.Row r, long now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("taskId", r.taskId);
    m.put("index", r.partition);
    m.put("attempt", r.attempt);
    m.put("stageAttempt", r.stageAttempt);
    m.put("executorId", r.executorId);
    m.put("host", r.host);
    m.put("locality", r.locality == null ? null : r.locality.name());
    m.put("status", r.status);
    m.put("launchTime", r.launchMs);
    m.put("duration", r.durationMs(now));
    m.put("failure", r.failure);
    TaskMetrics t = r.metrics;
    if (t != null) {
      m.put("gcTime", t.gcTimeMs());
      m.put("inputRecords", t.inputRecords());
      m.put("inputBytes", t.inputBytes());
      m.put("outputRecords", t.outputRecords());
      m.put("outputBytes", t.outputBytes());
      m.put("shuffleReadRecords", t.shuffleReadRecords());
      m.put("shuffleReadBytes", t.shuffleReadBytes());
      m.put("shuffleWriteRecords", t.shuffleWriteRecords());
      m.put("shuffleWriteBytes", t.shuffleWriteBytes());
      m.put("fetchWait", t.fetchWaitMs());
      m.put("spillBytes", t.spillBytes());
    }
    return m;
  }

  /** Every executor seen, with its task counts and totals. */
  public synchronized List<Map<String, Object>> executors() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ExecutorData e : executors.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", e.executorId);
      m.put("host", e.host);
      m.put("cores", e.slots);
      m.put("isActive", e.removedMs < 0);
      m.put("addTime", e.addedMs);
      m.put("removeTime", e.removedMs);
      m.put("removeReason", e.removedReason);
      m.put("activeTasks", e.active);
      m.put("completedTasks", e.completed);
      m.put("failedTasks", e.failed);
      m.put("totalDuration", e.taskTimeMs);
      m.put("totalGCTime", e.gcTimeMs);
      m.put("totalInputBytes", e.inputBytes);
      m.put("totalShuffleRead", e.shuffleReadBytes);
      m.put("totalShuffleWrite", e.shuffleWriteBytes);
      m.put("totalSpillBytes", e.spillBytes);
      putMemory(m, e.memory);
      out.add(m);
    }
    return out;
  }

  /** An executor's memory columns: -1 until it reported its memory. */
  private static void putMemory(Map<String, Object> m, ListenerEvent.ExecutorMemoryUpdated mem) {
    m.put("memoryPool", mem == null ? -1 : mem.memoryPoolBytes());
    m.put("storageMemoryUsed", mem == null ? -1 : mem.storageUsedBytes());
    m.put("executionMemoryUsed", mem == null ? -1 : mem.executionUsedBytes());
    m.put("heapUsed", mem == null ? -1 : mem.heapUsedBytes());
    m.put("maxHeap", mem == null ? -1 : mem.maxHeapBytes());
  }

  /**
   * Cached datasets (by plan node id) over the live executors' last reports: storage level,
   * partitions cached (in memory or on disk) and bytes in memory and on disk.
   */
  public synchronized List<Map<String, Object>> storage() {
    Map<Integer, Map<String, Object>> byNode = new TreeMap<>();
    for (ExecutorData e : executors.values()) {
      if (e.removedMs >= 0 || e.memory == null) {
        continue;
      }
      for (ListenerEvent.CachedNode c : e.memory.cached()) {
        Map<String, Object> m = byNode.computeIfAbsent(c.nodeId(), id -> {
          Map<String, Object> fresh = new LinkedHashMap<>();
          fresh.put("id", id);
          fresh.put("storageLevel", c.storageLevel());
          fresh.put("partitionsInMemory", 0);
          fresh.put("partitionsOnDisk", 0);
          fresh.put("memoryUsed", 0L);
          fresh.put("diskUsed", 0L);
          fresh.put("executors", new ArrayList<String>());
          return fresh;
        });
        m.merge("partitionsInMemory", c.memoryPartitions(), (a, b) -> (int) a + (int) b);
        m.merge("partitionsOnDisk", c.diskPartitions(), (a, b) -> (int) a + (int) b);
        m.merge("memoryUsed", c.memoryBytes(), (a, b) -> (long) a + (long) b);
        m.merge("diskUsed", c.diskBytes(), (a, b) -> (long) a + (long) b);
        @SuppressWarnings("unchecked")
        List<String> on = (List<String>) m.get("executors");
        on.add(e.executorId);
      }
    }
    return new ArrayList<>(byNode.values());
  }

  /** Versions and the effective configuration (already redacted by the driver). */
  public synchronized Map<String, Object> environment() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runtime", new LinkedHashMap<>(runtime));
    m.put("config", new TreeMap<>(config));
    return m;
  }
}
