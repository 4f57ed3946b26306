package io.weft.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The status tracker counts the map outputs the driver holds, as the scheduler's thread sees them:
 * one per map task of each shuffle the program still reads, none once the context cleaner removed
 * a dropped shuffle; and each submitted stage reports its task binary's size, which grows with
 * the lineage it carries.
 */
@Timeout(120)
class StatusTrackerTest {
  @Test
  void mapOutputRegistrationsComeWithShufflesAndGoWithThem() throws Exception {
    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local[2]").setAppName("status-test"))) {
      assertEquals(new StatusTracker.SchedulerState(1, 0, 0), wc.statusTracker().schedulerState());
      PairDataset<Integer, Long> kept = counts(wc, 5, 3);
      assertEquals(5, kept.count());
      assertEquals(new StatusTracker.SchedulerState(1, 1, 4), wc.statusTracker().schedulerState(),
          "one shuffle of 4 map tasks");

      runAndDropAShuffle(wc);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      StatusTracker.SchedulerState state;
      while ((state = wc.statusTracker().schedulerState()).shuffles() > 1) {
        assertTrue(System.nanoTime() < deadline, "the dropped shuffle is still registered after 60 s of GCs: " + state);
        System.gc();
        Thread.sleep(50); // the event is the cleaner's removal, which the query itself observes
      }
      assertEquals(new StatusTracker.SchedulerState(1, 1, 4), state, "only the held shuffle stays");
      assertEquals(5, kept.collectAsMap().size(), "the held shuffle is still read");
    }
  }

  @Test
  @Timeout(10) // far below weft.network.timeout: a closed context must not make the caller wait it out
  void aClosedContextsTrackerFailsAtOnceNamingTheContext() {
    WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local[1]").setAppName("closed-status"));
    StatusTracker tracker = wc.statusTracker();
    wc.close();
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        tracker::schedulerState);
    assertTrue(e.getMessage().contains("'closed-status' is closed"), e.getMessage());
  }

  @Test
  void eachSubmittedStageReportsItsTaskBinarySizeWhichGrowsWithTheLineage() {
    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local[2]").setAppName("binary-test"))) {
      List<ListenerEvent.StageSubmitted> submitted = new CopyOnWriteArrayList<>();
      wc.addListener(e -> {
        if (e instanceof ListenerEvent.StageSubmitted s) {
          submitted.add(s);
        }
      });
      PairDataset<Integer, Long> ranks = counts(wc, 5, 3);
      ranks.count();
      long shortLineage = largestBinary(wc, submitted);
      submitted.clear();
      for (int i = 0; i < 30; i++) {
        ranks = ranks.mapValues(v -> v + 1);
      }
      assertEquals(Map.of(0, 230L, 1, 230L, 2, 230L, 3, 230L, 4, 230L), ranks.collectAsMap());
      long longLineage = largestBinary(wc, submitted);
      assertTrue(shortLineage > 0, "a binary is never empty");
      assertTrue(longLineage > shortLineage + 30 * 50, "30 more nodes make a larger binary: " + shortLineage
          + " bytes, then " + longLineage);
    }
  }

  /** The largest task binary of the stages submitted so far (the bus drained first). */
  private static long largestBinary(WeftContext wc, List<ListenerEvent.StageSubmitted> submitted) {
    assertTrue(wc.listenerBus().waitUntilEmpty(10_000), "the listener bus drained");
    assertTrue(!submitted.isEmpty(), "a stage was submitted");
    return submitted.stream().mapToLong(ListenerEvent.StageSubmitted::taskBinaryBytes).max().orElseThrow();
  }

  private static PairDataset<Integer, Long> counts(WeftContext wc, int keys, int reduces) {
    return wc.parallelize(IntStream.range(0, 1000).boxed().toList(), 4)
        .mapToPair(i -> Pair.of(i % keys, 1L)).reduceByKey(Long::sum, reduces);
  }

  /** In its own frame, so nothing on the test's stack keeps the dataset reachable. */
  private static void runAndDropAShuffle(WeftContext wc) {
    PairDataset<Integer, Long> dropped = counts(wc, 7, 2);
    assertEquals(7, dropped.collect().size());
    assertEquals(new StatusTracker.SchedulerState(1, 2, 8), wc.statusTracker().schedulerState(),
        "a second shuffle of 4 map tasks");
    java.lang.ref.Reference.reachabilityFence(dropped); // a GC before the query would drop it early
  }
}
