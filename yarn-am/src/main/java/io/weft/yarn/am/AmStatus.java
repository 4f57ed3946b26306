package io.weft.yarn.am;

import io.weft.status.ListenerEvent;
import io.weft.status.WeftListener;
import java.util.concurrent.atomic.AtomicInteger;
import io.weft.scheduler.task.TaskLocality;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the ApplicationMaster knows about its application, for the status page and the progress
 * it reports to the ResourceManager: its lifecycle state, and (when it is registered as a
 * {@link WeftListener} on the driver's context) jobs and tasks so far.
 *
 * <p>Threading: written by the AM's main thread (state) and the listener bus thread (events),
 * read by HTTP and AMRM heartbeat threads; every field is atomic, and readers accept a
 * slightly stale mix.
 */
public final class AmStatus implements WeftListener {
  /** The application's lifecycle as the AM sees it. */
  public enum State { STARTING, RUNNING, SUCCEEDED, FAILED }

  private final String appName;
  private final int executorsAsked;
  /** The highest progress reported so far, as float bits: what the user sees never goes back. */
  private final AtomicInteger reportedProgress = new AtomicInteger(Float.floatToIntBits(0f));
  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
  private final AtomicReference<String> diagnostic = new AtomicReference<>("");
  private final AtomicInteger jobsStarted = new AtomicInteger();
  private final AtomicInteger jobsSucceeded = new AtomicInteger();
  private final AtomicInteger jobsFailed = new AtomicInteger();
  private final AtomicLong tasksSubmitted = new AtomicLong();
  private final AtomicLong tasksEnded = new AtomicLong();
  private final AtomicInteger executors = new AtomicInteger();
  /** Succeeded tasks by the locality level they ran at, indexed by {@link TaskLocality#ordinal()}. */
  private final AtomicLongArray tasksByLocality = new AtomicLongArray(TaskLocality.values().length);
  /** Running stage attempts: "stageId.attempt" → {tasks, ended}. */
  private final java.util.concurrent.ConcurrentSkipListMap<String, long[]> runningStages =
      new java.util.concurrent.ConcurrentSkipListMap<>();

  /** Whether the tasks run inside the AM (weft.yarn.inAm.mode=on): then no executors are shown. */
  private final boolean inAm;
  /** Hosts on the ResourceManager's exclusion list (weft.excludeOnFailure), as last pushed. */
  private final AtomicReference<java.util.Set<String>> excludedHosts = new AtomicReference<>(java.util.Set.of());

  /** What the web UI shows (jobs, stages, tasks...), fed the same events. */
  private final io.weft.ui.AppStatusStore store = new io.weft.ui.AppStatusStore();
  /** Each executor's container log page on its NodeManager. */
  private final java.util.Map<String, String> logUrls = new java.util.concurrent.ConcurrentHashMap<>();

  /** @param executorsAsked weft.executor.instances, shown next to the executors running */
  public AmStatus(String appName, int executorsAsked) {
    this(appName, executorsAsked, false);
  }

  private AmStatus(String appName, int executorsAsked, boolean inAm) {
    this.appName = appName;
    this.executorsAsked = executorsAsked;
    this.inAm = inAm;
  }

  /** The status of an application whose tasks run inside the AM: it has no executors to count. */
  public static AmStatus inAm(String appName) {
    return new AmStatus(appName, 0, true);
  }

  @Override
  public void onEvent(ListenerEvent event) {
    store.onEvent(event);
    if (event instanceof ListenerEvent.JobStarted) {
      jobsStarted.incrementAndGet();
    } else if (event instanceof ListenerEvent.JobEnded e) {
      (e.succeeded() ? jobsSucceeded : jobsFailed).incrementAndGet();
    } else if (event instanceof ListenerEvent.StageSubmitted s) {
      tasksSubmitted.addAndGet(s.numTasks());
      runningStages.put(s.stageId() + "." + s.attempt(), new long[] {s.numTasks(), 0});
    } else if (event instanceof ListenerEvent.StageCompleted s) {
      runningStages.remove(s.stageId() + "." + s.attempt());
    } else if (event instanceof ListenerEvent.TaskEnded t) {
      tasksEnded.incrementAndGet();
      long[] stage = runningStages.get(t.stageId() + "." + t.stageAttempt());
      if (stage != null && t.succeeded()) {
        stage[1]++;
      }
      if (t.succeeded() && t.locality() != null) {
        tasksByLocality.incrementAndGet(t.locality().ordinal());
      }
    } else if (event instanceof ListenerEvent.ExecutorAdded) {
      executors.incrementAndGet();
    } else if (event instanceof ListenerEvent.ExecutorRemoved) {
      executors.decrementAndGet();
    }
  }

  /** The web UI's view of the application. */
  io.weft.ui.AppStatusStore store() {
    return store;
  }

  /** The NodeManager page of {@code executorId}'s container logs, or null before its launch. */
  String logUrl(String executorId) {
    return logUrls.get(executorId);
  }

  /** Remembers where executor {@code executorId}'s logs are: its container on a NodeManager. */
  void executorLaunched(String executorId, org.apache.hadoop.yarn.api.records.Container container) {
    String user;
    try {
      user = org.apache.hadoop.security.UserGroupInformation.getCurrentUser().getShortUserName();
    } catch (java.io.IOException e) {
      user = System.getProperty("user.name");
    }
    logUrls.put(executorId, "http://" + container.getNodeHttpAddress() + "/node/containerlogs/"
        + container.getId() + "/" + user);
  }

  /** The hosts now on the ResourceManager's exclusion list; shown on the page and in the progress line. */
  void setExcludedHosts(java.util.Set<String> hosts) {
    excludedHosts.set(java.util.Set.copyOf(new java.util.TreeSet<>(hosts)));
  }

  void setState(State s, String diagnostic) {
    state.set(s);
    this.diagnostic.set(diagnostic == null ? "" : diagnostic);
  }

  public State state() {
    return state.get();
  }

  /**
   * Share of submitted tasks that ended, below 1 until the driver has returned (a later job may
   * still come): a rough figure, but it moves, which is what a user watching a terminal wants.
   * It never goes down: a new job's tasks lower the share, not the progress shown (99% then 80%
   * reads as a failure).
   */
  public float progress() {
    State s = state.get();
    float now;
    if (s == State.SUCCEEDED || s == State.FAILED) {
      now = 1f;
    } else {
      long submitted = tasksSubmitted.get();
      now = submitted == 0 ? 0f : Math.min(0.99f, (float) tasksEnded.get() / submitted);
    }
    int bits = reportedProgress.accumulateAndGet(Float.floatToIntBits(now),
        (a, b) -> Float.intBitsToFloat(a) >= Float.intBitsToFloat(b) ? a : b);
    return Float.intBitsToFloat(bits);
  }

  /**
   * One line for the submitting client's progress display: each running stage with its finished
   * and total tasks, then the jobs, then the executors running of those asked (inside the AM: that
   * it runs there). Example:
   * {@code stage 1: 12/40 tasks; jobs: 1 done, 1 running; executors: 3 of 4 running}.
   */
  public String progressText() {
    StringBuilder sb = new StringBuilder();
    runningStages.forEach((stage, counts) -> sb.append(sb.length() == 0 ? "" : ", ")
        .append("stage ").append(stage.endsWith(".0") ? stage.substring(0, stage.length() - 2) : stage)
        .append(": ").append(counts[1]).append('/').append(counts[0]).append(" tasks"));
    int done = jobsSucceeded.get() + jobsFailed.get();
    int running = jobsStarted.get() - done;
    if (sb.length() > 0) {
      sb.append("; ");
    }
    sb.append("jobs: ").append(done).append(" done, ").append(running).append(" running");
    if (inAm) {
      return sb.append("; running inside the ApplicationMaster (no executor containers)").toString();
    }
    return sb.append("; executors: ").append(executors.get()).append(" of ").append(executorsAsked).append(" running")
        .append(excludedHosts.get().isEmpty() ? "" : "; excluded hosts: " + String.join(", ",
            new java.util.TreeSet<>(excludedHosts.get())))
        .toString();
  }

  /**
   * How many tasks succeeded at each locality level, best level first, levels with none left out:
   * e.g. {@code NODE_LOCAL=38, RACK_LOCAL=2}; empty before any task succeeded.
   */
  public String taskLocality() {
    StringBuilder sb = new StringBuilder();
    for (TaskLocality level : TaskLocality.values()) {
      long n = tasksByLocality.get(level.ordinal());
      if (n > 0) {
        sb.append(sb.length() == 0 ? "" : ", ").append(level).append('=').append(n);
      }
    }
    return sb.toString();
  }

  /**
   * {@code diagnostic} with a line for the ResourceManager saying how local the application's
   * tasks ran ({@code Tasks by locality: NODE_LOCAL=38, RACK_LOCAL=2}), placed before the
   * driver's stack trace if it carries one; {@code diagnostic} itself when no task succeeded.
   */
  String withTaskLocality(String diagnostic) {
    String counts = taskLocality();
    if (counts.isEmpty()) {
      return diagnostic;
    }
    String line = "Tasks by locality: " + counts;
    if (diagnostic == null || diagnostic.isEmpty()) {
      return line;
    }
    int trace = diagnostic.indexOf(io.weft.yarn.Diagnostics.TRACE_MARKER);
    return trace < 0 ? diagnostic + "\n" + line
        : diagnostic.substring(0, trace) + "\n" + line + diagnostic.substring(trace);
  }

  /** A plain HTML page; every value is escaped. */
  String html() {
    StringBuilder sb = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
        .append(escape(appName)).append(" — Weft</title></head><body>\n<h1>")
        .append(escape(appName)).append("</h1>\n<table>\n");
    row(sb, "State", state.get().toString());
    row(sb, "Jobs", jobsStarted.get() + " started, " + jobsSucceeded.get() + " succeeded, "
        + jobsFailed.get() + " failed");
    row(sb, "Tasks", tasksEnded.get() + " of " + tasksSubmitted.get() + " ended");
    row(sb, "Executors", inAm ? "none: the tasks run inside the ApplicationMaster"
        : executors.get() + " running of " + executorsAsked + " asked");
    String locality = taskLocality();
    row(sb, "Tasks by locality", locality.isEmpty() ? "none yet" : locality);
    if (!excludedHosts.get().isEmpty()) {
      row(sb, "Excluded hosts", String.join(", ", new java.util.TreeSet<>(excludedHosts.get()))
          + " (weft.excludeOnFailure; on the ResourceManager's exclusion list)");
    }
    if (!diagnostic.get().isEmpty()) {
      row(sb, "Diagnostics", diagnostic.get());
    }
    return sb.append("</table>\n</body></html>\n").toString();
  }

  private static void row(StringBuilder sb, String name, String value) {
    sb.append("<tr><th align=\"left\">").append(name).append("</th><td>").append(escape(value)).append("</td></tr>\n");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
