package io.weft.scheduler;

import io.weft.plan.Dependency;
import io.weft.plan.NarrowDependency;
import io.weft.plan.Node;
import io.weft.plan.Partition;
import io.weft.scheduler.task.TaskLocation;
import io.weft.scheduler.task.TaskSet;
import io.weft.serialization.SerializerInstance;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a ready stage into a task set: which partitions still need computing, the stage binary
 * (serialized once per attempt), each task's partition and preferred locations.
 *
 * <p>Preferred locations, best first: executors that cache the partition, then the hosts the
 * node itself names (an input split's block hosts), else those of the first parent partition
 * reached through narrow dependencies.
 *
 * <p>Threading: owned by the scheduler's event thread.
 */
final class StageSubmitter {
  private final DagScheduler dag;
  private final SerializerInstance closureSerializer;

  StageSubmitter(DagScheduler dag, SerializerInstance closureSerializer) {
    this.dag = dag;
    this.closureSerializer = closureSerializer;
  }

  void submitMissingTasks(Stage stage, ActiveJob job) {
    List<Integer> partitions = missingPartitions(stage, job);
    int attempt = stage.newAttempt();
    stage.pendingPartitions.clear();
    stage.pendingPartitions.addAll(partitions);
    dag.running.add(stage);
    byte[] binary;
    ShuffleReads reads;
    List<TaskSet.PendingTask> tasks = new ArrayList<>(partitions.size());
    try {
      Object taskBinary = stage instanceof Stage.ShuffleMapStage ms
          ? new Task.ShuffleMapBinary(ms.node(), ms.dependency())
          : new Task.ResultBinary(stage.node(), ((Stage.ResultStage) stage).fn());
      binary = closureSerializer.serialize(taskBinary);
      Partition[] all = stage.node().partitions();
      for (int p : partitions) {
        tasks.add(new TaskSet.PendingTask(p, closureSerializer.serialize(all[p]),
            preferredLocations(stage.node(), p)));
      }
      reads = ShuffleReads.plan(stage.node(), partitions, dag.mapOutputs);
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      dag.abortStageBeforeRun(stage, "Task not serializable: " + cause, cause);
      return;
    }
    dag.postStageSubmitted(stage, tasks.size());
    if (tasks.isEmpty()) {
      dag.stageFinished(stage, null);
      return;
    }
    dag.tasks.submit(new TaskSet(stage.id(), attempt, job.jobId,
        stage instanceof Stage.ShuffleMapStage, binary, tasks, reads));
  }

  private List<Integer> missingPartitions(Stage stage, ActiveJob job) {
    if (stage instanceof Stage.ShuffleMapStage ms) {
      return dag.mapOutputs.missingPartitions(ms.shuffleId());
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
      for (String exec : dag.cache.executorsOf(v.node().id(), v.partition())) {
        var info = dag.tasks.executors().get(exec);
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
}
