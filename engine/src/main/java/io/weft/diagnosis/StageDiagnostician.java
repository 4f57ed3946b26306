package io.weft.diagnosis;

import io.weft.executor.TaskMetrics;
import io.weft.status.ListenerBus;
import io.weft.status.ListenerEvent;
import io.weft.status.WeftListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Diagnoses every finished stage ({@link StageDiagnosis}) from the task metrics the scheduler
 * already posts, posts a {@link ListenerEvent.StageDiagnosed} for it, and logs the findings of a
 * job's stages when the job ends. The heavy keys come from the sketches shuffle map tasks send
 * with their metrics ({@link KeySketch}), merged per shuffle, so a skewed reduce partition is
 * named with the keys the map side wrote to it.
 *
 * <p>Threading: a listener, so every method runs on the listener bus's one thread; no locks.
 * Memory: a stage's samples are dropped once it is diagnosed; merged sketches of the last
 * {@value #SHUFFLES_KEPT} shuffles are kept (a later job may reuse a shuffle's map output).
 */
public final class StageDiagnostician implements WeftListener {
  private static final Logger LOG = LoggerFactory.getLogger(StageDiagnostician.class);
  private static final int SHUFFLES_KEPT = 64;

  private final ListenerBus bus;
  private final double skewRatio;
  private final Map<String, String> hostOf = new HashMap<>();
  private final Map<Long, List<TaskSample>> running = new HashMap<>();
  /** shuffle id -> "partition\u0000key" -> estimated records, summed over map tasks. */
  private final Map<Integer, Map<String, Long>> shuffleKeys = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, Map<String, Long>> eldest) {
      return size() > SHUFFLES_KEPT;
    }
  };
  private final Map<Integer, List<Integer>> jobStages = new HashMap<>();
  private final Map<Integer, List<String>> findings = new HashMap<>();

  public StageDiagnostician(ListenerBus bus, double skewRatio) {
    this.bus = bus;
    this.skewRatio = skewRatio;
  }

  @Override
  public void onEvent(ListenerEvent event) {
    if (event instanceof ListenerEvent.ExecutorAdded e) {
      hostOf.put(e.executorId(), e.host());
    } else if (event instanceof ListenerEvent.StageSubmitted e) {
      running.put(key(e.stageId(), e.attempt()), new ArrayList<>());
    } else if (event instanceof ListenerEvent.TaskEnded e && e.succeeded()) {
      onTaskSucceeded(e);
    } else if (event instanceof ListenerEvent.StageCompleted e) {
      List<TaskSample> tasks = running.remove(key(e.stageId(), e.attempt()));
      if (tasks != null && e.failure() == null) {
        List<String> found = StageDiagnosis.findings(tasks, skewRatio, this::heavyKeys);
        findings.put(e.stageId(), found);
        bus.post(new ListenerEvent.StageDiagnosed(e.stageId(), e.attempt(), List.copyOf(found), e.timeMs()));
      }
    } else if (event instanceof ListenerEvent.JobStarted e) {
      jobStages.put(e.jobId(), e.stageIds());
    } else if (event instanceof ListenerEvent.JobEnded e) {
      logJob(e.jobId());
    }
  }

  private void onTaskSucceeded(ListenerEvent.TaskEnded e) {
    TaskMetrics m = e.metrics();
    if (m == null) {
      return;
    }
    KeySketch.Result written = m.writtenKeys();
    if (written != null) {
      Map<String, Long> merged = shuffleKeys.computeIfAbsent(written.shuffleId(), id -> new HashMap<>());
      for (KeySketch.HeavyKey k : written.keys()) {
        merged.merge(k.partition() + "\u0000" + k.key(), k.count(), Long::sum);
      }
    }
    List<TaskSample> tasks = running.get(key(e.stageId(), e.stageAttempt()));
    if (tasks != null) {
      tasks.add(new TaskSample(e.partition(), e.executorId(), hostOf.getOrDefault(e.executorId(), "?"),
          m.runTimeMs(), m.inputRecords() + m.shuffleReadRecords(), m.gcTimeMs(), m.fetchWaitMs(), m.spillBytes(),
          m.spillCount(), e.locality(), m.shufflesRead()));
    }
  }

  /** The heaviest keys the map side wrote to {@code partition} of the shuffles {@code task} read. */
  private List<KeySketch.HeavyKey> heavyKeys(TaskSample task, int partition) {
    String prefix = partition + "\u0000";
    List<KeySketch.HeavyKey> keys = new ArrayList<>();
    for (int shuffle : task.shufflesRead()) {
      shuffleKeys.getOrDefault(shuffle, Map.of()).forEach((k, count) -> {
        if (k.startsWith(prefix)) {
          keys.add(new KeySketch.HeavyKey(partition, k.substring(prefix.length()), count));
        }
      });
    }
    keys.sort((a, b) -> Long.compare(b.count(), a.count()));
    return keys;
  }

  private void logJob(int jobId) {
    List<Integer> stages = jobStages.remove(jobId);
    if (stages == null) {
      return;
    }
    for (int stageId : stages) {
      List<String> found = findings.remove(stageId);
      if (found != null) {
        for (String line : found) {
          LOG.warn("Job {}, stage {}: {}", jobId, stageId, line);
        }
      }
    }
  }

  private static long key(int stageId, int attempt) {
    return ((long) stageId << 32) | attempt;
  }
}
