package io.weft.scheduler;

import io.weft.plan.Node;
import io.weft.scheduler.task.TaskLocality;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A set of tasks that run the same pipelined functions on different partitions of one node. A
 * stage ends at a shuffle (a {@link ShuffleMapStage}, whose output feeds later stages) or at a
 * job's action (a {@link ResultStage}). Stages are shared between jobs: a shuffle's map stage is
 * created once per shuffle and its output reused as long as it is available.
 *
 * <p>Threading: owned by the scheduler's event thread.
 */
public abstract sealed class Stage permits Stage.ShuffleMapStage, Stage.ResultStage {
  private final int id;
  private final Node<?> node;
  private final List<ShuffleMapStage> parents;
  private final int firstJobId;
  final Set<Integer> jobIds = new HashSet<>();
  /** Partitions whose successful task already merged its accumulator updates. */
  final Set<Integer> accumulatorsMerged = new HashSet<>();
  /** Partitions still to finish in the current attempt. */
  final Set<Integer> pendingPartitions = new HashSet<>();
  /** Successful tasks of this stage (all attempts) by the locality they ran at. */
  private final int[] succeededByLocality = new int[TaskLocality.values().length];
  private int nextAttempt;
  private int latestAttempt = -1;
  int failedAttempts;

  Stage(int id, Node<?> node, List<ShuffleMapStage> parents, int firstJobId) {
    this.id = id;
    this.node = node;
    this.parents = parents;
    this.firstJobId = firstJobId;
  }

  public int id() {
    return id;
  }

  public Node<?> node() {
    return node;
  }

  public List<ShuffleMapStage> parents() {
    return parents;
  }

  public int firstJobId() {
    return firstJobId;
  }

  public int numPartitions() {
    return node.numPartitions();
  }

  int newAttempt() {
    latestAttempt = nextAttempt++;
    return latestAttempt;
  }

  public int latestAttempt() {
    return latestAttempt;
  }

  void countSucceededAt(TaskLocality locality) {
    succeededByLocality[locality.ordinal()]++;
  }

  /** How many successful tasks ran at each level, e.g. {@code {NODE_LOCAL=97, RACK_LOCAL=3}}. */
  public Map<TaskLocality, Integer> succeededByLocality() {
    Map<TaskLocality, Integer> counts = new EnumMap<>(TaskLocality.class);
    for (TaskLocality l : TaskLocality.values()) {
      if (succeededByLocality[l.ordinal()] > 0) {
        counts.put(l, succeededByLocality[l.ordinal()]);
      }
    }
    return counts;
  }

  String localitySummary() {
    return succeededByLocality().toString();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + " " + id + " (" + node + ")";
  }

  /** A stage that writes the map side of one shuffle. */
  public static final class ShuffleMapStage extends Stage {
    private final io.weft.plan.ShuffleDependency<?, ?, ?> dependency;

    ShuffleMapStage(int id, Node<?> node, List<ShuffleMapStage> parents, int firstJobId,
        io.weft.plan.ShuffleDependency<?, ?, ?> dependency) {
      super(id, node, parents, firstJobId);
      this.dependency = dependency;
    }

    public io.weft.plan.ShuffleDependency<?, ?, ?> dependency() {
      return dependency;
    }

    public int shuffleId() {
      return dependency.shuffleId();
    }
  }

  /** The last stage of a job: runs the job's function on the requested partitions. */
  public static final class ResultStage extends Stage {
    private final ResultFn<?, ?> fn;
    private final int[] partitions;
    /** Partition → position in {@link #partitions}, built when partitions are not 0..n-1. */
    private final Map<Integer, Integer> outputIndex;
    ActiveJob job;

    ResultStage(int id, Node<?> node, List<ShuffleMapStage> parents, int firstJobId,
        ResultFn<?, ?> fn, int[] partitions) {
      super(id, node, parents, firstJobId);
      this.fn = fn;
      this.partitions = partitions;
      boolean identity = true;
      for (int i = 0; i < partitions.length && identity; i++) {
        identity = partitions[i] == i;
      }
      this.outputIndex = identity ? null : new HashMap<>();
      if (!identity) {
        for (int i = partitions.length - 1; i >= 0; i--) {
          outputIndex.put(partitions[i], i);
        }
      }
    }

    /** Where {@code partition}'s result goes in the job's output, or -1 if the job does not compute it. */
    int outputIndex(int partition) {
      if (outputIndex == null) {
        return partition >= 0 && partition < partitions.length ? partition : -1;
      }
      return outputIndex.getOrDefault(partition, -1);
    }

    public ResultFn<?, ?> fn() {
      return fn;
    }

    /** The node partitions this job computes (take() may ask for only a few). */
    public int[] partitions() {
      return partitions;
    }
  }
}
