package io.weft.scheduler;

import io.weft.plan.Dependency;
import io.weft.plan.NarrowDependency;
import io.weft.plan.Node;
import io.weft.plan.Partition;
import io.weft.plan.ShuffleDependency;
import io.weft.recovery.MapOutputRecovery;
import io.weft.scheduler.task.TaskLocation;
import io.weft.scheduler.task.TaskScheduler;
import io.weft.scheduler.task.TaskSet;
import io.weft.serialization.SerializerInstance;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a ready stage into the task set of its next attempt: which partitions still need
 * computing, the stage binary (serialized once per attempt), each task's partition and preferred
 * locations, and where the map outputs it reads are. The DAG scheduler decides what to do with
 * the result (run it, finish an empty stage, or abort on {@link NotSerializableException}).
 *
 * <p>Preferred locations, best first: executors that cache the partition, then the hosts the
 * node itself names (an input split's block hosts), then (with
 * {@code weft.shuffle.reduceLocality.enabled}) the hosts that wrote at least a fifth of the bytes
 * a reduce partition reads, else those of the first parent partition reached through narrow
 * dependencies.
 *
 * <p>Threading: owned by the scheduler's event thread.
 */
final class StageSubmitter {
  private final MapOutputTracker mapOutputs;
  private MapOutputRecovery mapOutputRecovery;
  private final CacheTracker cache;
  private final TaskScheduler tasks;
  private final SerializerInstance closureSerializer;
  private final boolean reduceLocality;

  /** A reduce task prefers the hosts holding at least this share of its input bytes (Spark's figure). */
  static final double REDUCE_HOST_FRACTION = 0.2;
  /** Reduce locality is worked out only below these partition counts: it costs maps x reduces. */
  static final int REDUCE_LOCALITY_MAX_PARTITIONS = 1000;

  /** The stage's binary or one of its partitions cannot be serialized; the cause says why. */
  static final class NotSerializableException extends RuntimeException {
    NotSerializableException(Throwable cause) {
      super(cause);
    }
  }

  StageSubmitter(MapOutputTracker mapOutputs, CacheTracker cache, TaskScheduler tasks,
      SerializerInstance closureSerializer, boolean reduceLocality) {
    this.mapOutputs = mapOutputs;
    this.cache = cache;
    this.tasks = tasks;
    this.closureSerializer = closureSerializer;
    this.reduceLocality = reduceLocality;
  }

  /**
   * Starts a new attempt of {@code stage} for {@code job} and returns its task set, with no task
   * when nothing is missing.
   *
   * @throws NotSerializableException when the stage cannot be shipped to executors
   */
  TaskSet nextAttempt(Stage stage, ActiveJob job) {
    List<Integer> partitions = missingPartitions(stage, job);
    int attempt = stage.newAttempt();
    stage.pendingPartitions.clear();
    stage.pendingPartitions.addAll(partitions);
    List<TaskSet.PendingTask> pending = new ArrayList<>(partitions.size());
    byte[] binary;
    ShuffleReads reads;
    try {
      Object taskBinary = stage instanceof Stage.ShuffleMapStage ms
          ? new Task.ShuffleMapBinary(ms.node(), ms.dependency())
          : new Task.ResultBinary(stage.node(), ((Stage.ResultStage) stage).fn());
      binary = closureSerializer.serialize(taskBinary);
      Partition[] all = stage.node().partitions();
      for (int p : partitions) {
        pending.add(new TaskSet.PendingTask(p, closureSerializer.serialize(all[p]),
            preferredLocations(stage.node(), p)));
      }
      reads = ShuffleReads.plan(stage.node(), partitions, mapOutputs);
    } catch (RuntimeException e) {
      throw new NotSerializableException(e.getCause() != null ? e.getCause() : e);
    }
    return new TaskSet(stage.id(), attempt, job.jobId, stage instanceof Stage.ShuffleMapStage, binary,
        pending, reads);
  }

  /** Where finished map stages are journaled and recovered from; null: nowhere. */
  void useMapOutputRecovery(MapOutputRecovery recovery) {
    this.mapOutputRecovery = recovery;
  }

  /**
   * Registers the map outputs of {@code stage} that an earlier ApplicationMaster attempt finished
   * and reconnected executors still serve (see {@link MapOutputRecovery}); only for a shuffle with
   * no output registered, so a stage's outputs come from one computation. Returns whether the
   * shuffle is now available.
   */
  boolean recoverMapOutputs(Stage.ShuffleMapStage stage) {
    if (mapOutputRecovery == null
        || mapOutputs.missingPartitions(stage.shuffleId()).size() != stage.numPartitions()) {
      return false;
    }
    Optional<MapStatus[]> found = mapOutputRecovery.recover(stage.dependency(), tasks.executors().values());
    found.ifPresent(statuses -> {
      for (int i = 0; i < statuses.length; i++) {
        mapOutputs.registerMapOutput(stage.shuffleId(), i, statuses[i]);
      }
    });
    return found.isPresent() && mapOutputs.isAvailable(stage.shuffleId());
  }

  /** Journals that every output of {@code stage} is registered, for a later attempt. */
  void journalMapStage(Stage.ShuffleMapStage stage) {
    if (mapOutputRecovery != null) {
      mapOutputRecovery.mapStageFinished(stage.dependency(), mapOutputs.statuses(stage.shuffleId()));
    }
  }

  private List<Integer> missingPartitions(Stage stage, ActiveJob job) {
    if (stage instanceof Stage.ShuffleMapStage ms) {
      return mapOutputs.missingPartitions(ms.shuffleId());
    }
    Stage.ResultStage rs = (Stage.ResultStage) stage;
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < rs.partitions().length; i++) {
      if (!job.finished[i]) {
        missing.add(rs.partitions()[i]);
      }
    }
    return missing;
  }

  List<TaskLocation> preferredLocations(Node<?> node, int partition) {
    record Visit(Node<?> node, int partition) {}
    Deque<Visit> toVisit = new ArrayDeque<>();
    Set<Visit> seen = new HashSet<>();
    toVisit.add(new Visit(node, partition));
    while (!toVisit.isEmpty()) {
      Visit v = toVisit.poll();
      if (!seen.add(v)) {
        continue;
      }
      List<TaskLocation> cached = new ArrayList<>();
      for (String exec : cache.executorsOf(v.node().id(), v.partition())) {
        var info = tasks.executors().get(exec);
        if (info != null) {
          cached.add(new TaskLocation(info.host(), exec));
        }
      }
      if (!cached.isEmpty()) {
        return cached;
      }
      List<String> hosts = v.node().preferredLocations(v.node().partitions()[v.partition()]);
      if (!hosts.isEmpty()) {
        return hosts.stream().map(TaskLocation::host).toList();
      }
      if (reduceLocality) {
        List<TaskLocation> writers = hostsHoldingInput(v.node(), v.partition());
        if (!writers.isEmpty()) {
          return writers;
        }
      }
      for (Dependency dep : v.node().dependencies()) {
        if (dep instanceof NarrowDependency narrow) {
          for (int parent : narrow.parentPartitions(v.partition())) {
            toVisit.add(new Visit(narrow.parent(), parent));
          }
        }
      }
    }
    return List.of();
  }

  /**
   * The hosts whose map outputs hold at least {@link #REDUCE_HOST_FRACTION} of the bytes that
   * reduce partition {@code reduceId} of {@code node} reads from one of its shuffles, most bytes
   * first; none for a shuffle too large to be worth it or not fully written.
   */
  private List<TaskLocation> hostsHoldingInput(Node<?> node, int reduceId) {
    for (Dependency dep : node.dependencies()) {
      if (!(dep instanceof ShuffleDependency<?, ?, ?> s) || !mapOutputs.containsShuffle(s.shuffleId())
          || s.partitioner().numPartitions() >= REDUCE_LOCALITY_MAX_PARTITIONS) {
        continue;
      }
      MapStatus[] statuses = mapOutputs.statuses(s.shuffleId());
      if (statuses.length >= REDUCE_LOCALITY_MAX_PARTITIONS) {
        continue;
      }
      Map<String, Long> bytesByHost = new HashMap<>();
      long total = 0;
      for (MapStatus m : statuses) {
        long bytes = m == null ? 0 : m.blockSize(reduceId);
        if (bytes > 0) {
          bytesByHost.merge(m.location().host(), bytes, Long::sum);
          total += bytes;
        }
      }
      if (total == 0) {
        continue;
      }
      double enough = total * REDUCE_HOST_FRACTION;
      List<TaskLocation> hosts = bytesByHost.entrySet().stream()
          .filter(e -> e.getValue() >= enough)
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .map(e -> TaskLocation.host(e.getKey()))
          .toList();
      if (!hosts.isEmpty()) {
        return hosts;
      }
    }
    return List.of();
  }
}
