package io.weft.plan.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.HashPartitioner;
import io.weft.JoinHint;
import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.StorageLevel;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * explain() describes the stages the scheduler runs: checked against the lineage the test
 * builds (how many shuffles it asked for, with which partitioner) and against the number of
 * stages a job on it reports to the listener bus, not against text the explainer produced.
 */
class PlanExplainerTest {
  @TempDir
  static Path dir;
  private static WeftContext wc;

  @BeforeAll
  static void start() {
    wc = WeftContext.create(new WeftConf(false).setMaster("local[2]").setAppName("explain")
        .set("weft.local.dir", dir.toString()));
  }

  @AfterAll
  static void stop() {
    wc.close();
  }

  private static final List<Pair<String, Integer>> DATA = List.of(Pair.of("a", 1), Pair.of("b", 2), Pair.of("a", 3));

  @Test
  void aNarrowPipelineIsOneStageWithItsOperatorsInOrder() {
    String plan = wc.parallelize(List.of("a b", "c"), 3).flatMap(s -> Arrays.asList(s.split(" ")).iterator())
        .filter(w -> !w.isEmpty()).map(String::length).explain();
    assertTrue(plan.startsWith("== Physical plan: 1 stage, 0 shuffles =="), plan);
    assertTrue(plan.contains("Stage 0: result stage, 3 tasks"), plan);
    assertOrder(plan, "ParallelCollectionNode", "flatMap", "filter", " map ");
  }

  @Test
  void reduceByKeyCombinesOnTheMapSideAndGroupByKeyDoesNot() {
    PairDataset<String, Integer> pairs = wc.parallelizePairs(DATA, 2);
    String reduced = pairs.reduceByKey(Integer::sum, 5).explain();
    assertTrue(reduced.startsWith("== Physical plan: 2 stages, 1 shuffle =="), reduced);
    assertTrue(reduced.contains("Stage 0: shuffle map stage, 2 tasks"), reduced);
    assertTrue(reduced.contains(": HashPartitioner(5), 5 partitions, map-side combine on (reduceByKey)"), reduced);
    assertTrue(reduced.contains("Stage 1: result stage, 5 tasks"), reduced);
    assertTrue(reduced.contains("<= reads shuffle"), reduced);
    assertOrder(reduced, "Stage 1", "ShuffledNode", "reduceByKey (5 partitions)");
    String grouped = pairs.groupByKey(3).explain();
    assertTrue(grouped.contains("map-side combine off, combined on the reduce side (groupByKey)"), grouped);
    String sorted = pairs.sortByKey(true, 2).explain();
    assertTrue(sorted.contains("map-side combine off, sorted by key (sortByKey)"), sorted);
  }

  @Test
  void aShuffleJoinHasTwoMapStagesAndSaysWhy() {
    PairDataset<String, Integer> l = wc.parallelizePairs(DATA, 2);
    PairDataset<String, Integer> r = wc.parallelizePairs(DATA, 3);
    PairDataset<String, Pair<Integer, Integer>> joined = l.join(r, 4);
    String plan = joined.explain();
    assertTrue(plan.startsWith("== Physical plan: 3 stages, 2 shuffles =="), plan);
    assertEquals(2, count(plan, "map-side combine off (join)"), plan);
    assertTrue(plan.contains("Stage 2: result stage, 4 tasks"), plan);
    assertTrue(plan.contains(" join (4 partitions) join strategy: shuffle join into HashPartitioner(4)"), plan);
    assertTrue(plan.contains("why: the caller gave the partitioning"), plan);
    assertEquals(3, stagesRun(joined), "the scheduler runs as many stages as explain() lists");
  }

  @Test
  void aBroadcastJoinHasNoShuffleAndACoPartitionedJoinNone() {
    PairDataset<String, Integer> l = wc.parallelizePairs(DATA, 2);
    PairDataset<String, Integer> r = wc.parallelizePairs(DATA, 3);
    PairDataset<String, Pair<Integer, Integer>> broadcast = l.join(r, JoinHint.BROADCAST);
    String plan = broadcast.explain();
    assertTrue(plan.startsWith("== Physical plan: 1 stage, 0 shuffles =="), plan);
    assertTrue(plan.contains("join strategy: broadcast hash join, right side broadcast, no shuffle; why: hint BROADCAST"), plan);
    assertEquals(1, stagesRun(broadcast));
    HashPartitioner p = new HashPartitioner(2);
    PairDataset<String, Integer> lp = l.partitionBy(p).persist(StorageLevel.MEMORY_ONLY);
    PairDataset<String, Integer> rp = r.partitionBy(p);
    String coPartitioned = lp.join(rp).explain();
    assertTrue(coPartitioned.startsWith("== Physical plan: 3 stages, 2 shuffles =="), coPartitioned);
    assertTrue(coPartitioned.contains("already partitioned by HashPartitioner(2)"), coPartitioned);
    assertTrue(coPartitioned.contains("cached MEMORY_ONLY"), coPartitioned);
  }

  private static int stagesRun(PairDataset<?, ?> ds) {
    // listeners hear events asynchronously: let earlier jobs' events (a broadcast join collects
    // its small side when it is defined) reach the bus's listeners before counting this job's
    assertTrue(wc.listenerBus().waitUntilEmpty(30_000), "listener bus drained before the job");
    java.util.Set<Integer> stages = java.util.concurrent.ConcurrentHashMap.newKeySet();
    io.weft.status.WeftListener listener = e -> {
      if (e instanceof io.weft.status.ListenerEvent.TaskEnded t) {
        stages.add(t.stageId());
      }
    };
    wc.addListener(listener);
    ds.count();
    assertTrue(wc.listenerBus().waitUntilEmpty(30_000), "listener bus drained");
    wc.removeListener(listener);
    return stages.size();
  }

  private static int count(String text, String part) {
    Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static void assertOrder(String text, String... parts) {
    int at = -1;
    for (String p : parts) {
      int next = text.indexOf(p, at + 1);
      assertTrue(next > at, p + " after the previous operator in:\n" + text);
      at = next;
    }
  }
}
