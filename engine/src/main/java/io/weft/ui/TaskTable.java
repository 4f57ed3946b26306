package io.weft.ui;

import io.weft.executor.TaskMetrics;
import io.weft.scheduler.task.TaskLocality;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The task attempts of one stage, in launch order, for the stage page: a page of rows at a time
 * and summary quantiles over the successful ones. A stage of 100,000 tasks costs one row object
 * each and a sort per metric when the summary is asked for after a change.
 *
 * <p>Threading: guarded by the owning {@link AppStatusStore}'s lock.
 */
final class TaskTable {
  /** One task attempt. */
  static final class Row {
    long taskId;
    int partition;
    int attempt;
    int stageAttempt;
    String executorId;
    String host;
    TaskLocality locality;
    String status = "RUNNING";
    long launchMs;
    long endMs = -1;
    String failure;
    TaskMetrics metrics;

    long durationMs(long now) {
      return (endMs < 0 ? now : endMs) - launchMs;
    }
  }

  /** The metrics the summary shows, by the name the page uses. */
  static final Map<String, ToLongFunction<Row>> SUMMARY_METRICS = new LinkedHashMap<>();

  static {
    SUMMARY_METRICS.put("duration", r -> r.durationMs(r.endMs));
    SUMMARY_METRICS.put("gcTime", r -> r.metrics.gcTimeMs());
    SUMMARY_METRICS.put("inputBytes", r -> r.metrics.inputBytes());
    SUMMARY_METRICS.put("inputRecords", r -> r.metrics.inputRecords());
    SUMMARY_METRICS.put("shuffleReadBytes", r -> r.metrics.shuffleReadBytes());
    SUMMARY_METRICS.put("shuffleWriteBytes", r -> r.metrics.shuffleWriteBytes());
    SUMMARY_METRICS.put("fetchWait", r -> r.metrics.fetchWaitMs());
    SUMMARY_METRICS.put("spillBytes", r -> r.metrics.spillBytes());
    SUMMARY_METRICS.put("outputBytes", r -> r.metrics.outputBytes());
  }

  private final List<Row> rows = new ArrayList<>();
  private final Map<Long, Row> byId = new HashMap<>();
  private int succeeded;
  private int failed;
  private int changes;
  private int summaryAt = -1;
  private Map<String, Object> summary;
  private long dropped;

  Row started(long taskId) {
    Row r = byId.get(taskId);
    if (r == null) {
      r = new Row();
      r.taskId = taskId;
      rows.add(r);
      byId.put(taskId, r);
    }
    changes++;
    return r;
  }

  /** The row of {@code taskId}, made if its start was not seen (a log that began late). */
  Row ended(long taskId, boolean ok) {
    Row r = started(taskId);
    if (ok) {
      succeeded++;
    } else {
      failed++;
    }
    return r;
  }

  /**
   * Drops the oldest finished attempts once more than {@code limit} are kept, down to 90% of it
   * (at least one pass's worth, as Spark's status store does), so that a stage far past its
   * limit pays for the pass once per {@code limit / 10} new attempts. Running attempts stay;
   * the succeeded and failed counts keep counting the dropped ones.
   */
  void retain(int limit) {
    if (rows.size() <= limit) {
      return;
    }
    int excess = rows.size() - (limit - limit / 10);
    List<Row> kept = new ArrayList<>(rows.size());
    for (Row r : rows) {
      if (excess > 0 && r.endMs >= 0) {
        byId.remove(r.taskId);
        excess--;
        dropped++;
      } else {
        kept.add(r);
      }
    }
    rows.clear();
    rows.addAll(kept);
    changes++;
  }

  /** How many finished attempts {@link #retain} dropped. */
  long dropped() {
    return dropped;
  }

  boolean contains(long taskId) {
    return byId.containsKey(taskId);
  }

  int size() {
    return rows.size();
  }

  int succeeded() {
    return succeeded;
  }

  int failed() {
    return failed;
  }

  int running() {
    int n = 0;
    for (Row r : rows) {
      n += r.endMs < 0 ? 1 : 0;
    }
    return n;
  }

  List<Row> page(int offset, int length) {
    int from = Math.max(0, Math.min(offset, rows.size()));
    int to = Math.max(from, Math.min(rows.size(), from + Math.max(0, length)));
    return new ArrayList<>(rows.subList(from, to));
  }

  /**
   * Min, 25th, 50th, 75th percentile and max of each metric over the succeeded attempts;
   * recomputed only after a change.
   */
  Map<String, Object> summary() {
    if (summaryAt == changes && summary != null) {
      return summary;
    }
    List<Row> done = new ArrayList<>();
    for (Row r : rows) {
      if ("SUCCESS".equals(r.status) && r.metrics != null) {
        done.add(r);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tasks", done.size());
    out.put("quantiles", List.of(0.0, 0.25, 0.5, 0.75, 1.0));
    for (Map.Entry<String, ToLongFunction<Row>> m : SUMMARY_METRICS.entrySet()) {
      out.put(m.getKey(), quantiles(done, m.getValue()));
    }
    summary = out;
    summaryAt = changes;
    return out;
  }

  /** Nearest-rank quantiles (min, 25%, median, 75%, max); empty when no task succeeded. */
  static List<Long> quantiles(List<Row> rows, ToLongFunction<Row> metric) {
    if (rows.isEmpty()) {
      return List.of();
    }
    long[] v = new long[rows.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = metric.applyAsLong(rows.get(i));
    }
    Arrays.sort(v);
    List<Long> q = new ArrayList<>();
    for (double p : new double[] {0, 0.25, 0.5, 0.75, 1}) {
      q.add(v[(int) Math.round(p * (v.length - 1))]);
    }
    return q;
  }
}
