package io.weft.status;

import io.weft.plan.explain.PlanExplainer;
import io.weft.scheduler.Stage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a job's planned stages into the {@link ListenerEvent.StageInfo}s of its DAG. */
public final class StageInfos {
  private StageInfos() {}

  /** Every stage {@code result} depends on and itself, parents before children. */
  public static List<ListenerEvent.StageInfo> of(Stage result) {
    Map<Integer, ListenerEvent.StageInfo> infos = new LinkedHashMap<>();
    add(result, infos);
    return new ArrayList<>(infos.values());
  }

  private static void add(Stage stage, Map<Integer, ListenerEvent.StageInfo> infos) {
    if (infos.containsKey(stage.id())) {
      return;
    }
    List<Integer> parents = new ArrayList<>();
    for (Stage parent : stage.parents()) {
      add(parent, infos);
      parents.add(parent.id());
    }
    infos.put(stage.id(), new ListenerEvent.StageInfo(stage.id(), stage.node().toString(), stage.numPartitions(),
        parents, PlanExplainer.stageOperations(stage.node()), stage instanceof Stage.ShuffleMapStage));
  }
}
