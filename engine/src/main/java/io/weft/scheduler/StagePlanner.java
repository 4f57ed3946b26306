package io.weft.scheduler;

import io.weft.plan.Dependency;
import io.weft.plan.NarrowDependency;
import io.weft.plan.Node;
import io.weft.plan.ShuffleDependency;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cuts a lineage into stages. Narrow dependencies stay inside a stage (their functions are
 * pipelined in one task); every shuffle dependency becomes the boundary to a
 * {@link Stage.ShuffleMapStage}, created once per shuffle and shared by every later job and
 * stage that reads it.
 *
 * <p>Example: {@code textFile → flatMap → mapToPair → reduceByKey → map → collect} gives two
 * stages: a map stage (textFile, flatMap, mapToPair, then the shuffle write) and a result stage
 * (shuffle read, reduce, map, collect). A join of two reduced datasets gives three: two map stages
 * feeding one result stage.
 *
 * <p>Threading: owned by the scheduler's event thread.
 */
public final class StagePlanner {
  private final Map<Integer, Stage.ShuffleMapStage> shuffleStages = new HashMap<>();
  private int nextStageId;

  public Stage.ResultStage createResultStage(Node<?> node, ResultFn<?, ?> fn, int[] partitions, int jobId) {
    List<Stage.ShuffleMapStage> parents = parentStages(node, jobId);
    Stage.ResultStage stage = new Stage.ResultStage(nextStageId++, node, parents, jobId, fn, partitions);
    stage.jobIds.add(jobId);
    return stage;
  }

  /** The map stage of {@code dep}, created with its own ancestors if this is its first use. */
  public Stage.ShuffleMapStage shuffleMapStage(ShuffleDependency<?, ?, ?> dep, int jobId) {
    Stage.ShuffleMapStage existing = shuffleStages.get(dep.shuffleId());
    if (existing != null) {
      existing.jobIds.add(jobId);
      return existing;
    }
    List<Stage.ShuffleMapStage> parents = parentStages(dep.parent(), jobId);
    Stage.ShuffleMapStage stage =
        new Stage.ShuffleMapStage(nextStageId++, dep.parent(), parents, jobId, dep);
    stage.jobIds.add(jobId);
    shuffleStages.put(dep.shuffleId(), stage);
    return stage;
  }

  public Stage.ShuffleMapStage stageOfShuffle(int shuffleId) {
    return shuffleStages.get(shuffleId);
  }

  /** The map stages directly upstream of {@code node}: the nearest shuffle dependencies. */
  public List<Stage.ShuffleMapStage> parentStages(Node<?> node, int jobId) {
    Map<Integer, Stage.ShuffleMapStage> parents = new LinkedHashMap<>();
    for (ShuffleDependency<?, ?, ?> dep : nearestShuffleDependencies(node)) {
      Stage.ShuffleMapStage s = shuffleMapStage(dep, jobId);
      parents.put(s.id(), s);
    }
    return new ArrayList<>(parents.values());
  }

  /** Walks narrow dependencies from {@code node} and returns the shuffle dependencies it meets. */
  static List<ShuffleDependency<?, ?, ?>> nearestShuffleDependencies(Node<?> node) {
    List<ShuffleDependency<?, ?, ?>> found = new ArrayList<>();
    Set<Integer> visited = new HashSet<>();
    Deque<Node<?>> toVisit = new ArrayDeque<>();
    toVisit.push(node);
    while (!toVisit.isEmpty()) {
      Node<?> n = toVisit.pop();
      if (!visited.add(n.id())) {
        continue;
      }
      for (Dependency dep : n.dependencies()) {
        if (dep instanceof ShuffleDependency<?, ?, ?> s) {
          found.add(s);
        } else if (dep instanceof NarrowDependency narrow) {
          toVisit.push(narrow.parent());
        }
      }
    }
    return found;
  }

  /** Forgets a shuffle's stage (the shuffle was cleaned up). */
  public void removeShuffle(int shuffleId) {
    shuffleStages.remove(shuffleId);
  }

  public int stageCount() {
    return shuffleStages.size();
  }
}
