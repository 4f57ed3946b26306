package io.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.recovery.JournalRecord;
import io.weft.recovery.MapOutputRecovery;
import io.weft.testing.SchedulerHarness;
import io.weft.testing.TestNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scheduler's recovery hook across two "attempts" (two schedulers on fake backends): the
 * first journals its finished map stage; the second, asked for the same lineage, registers the
 * journaled outputs instead of running the map stage when their executors are registered at the
 * same host and port, and runs it when one of them is missing.
 */
@Timeout(60)
class MapOutputRecoverySchedulingTest {
  private final Configuration hadoop = new Configuration(false);

  /** Attempt 1: runs the shuffle's map stage and the job; returns what it journaled. */
  private List<JournalRecord> firstAttempt(TestNode reduced) {
    List<JournalRecord> journal = new CopyOnWriteArrayList<>();
    SchedulerHarness h = new SchedulerHarness();
    MapOutputRecovery recovery = MapOutputRecovery.of(List.of(), journal::add, hadoop);
    h.dag.useMapOutputRecovery(recovery);
    h.addExecutor("e1", "host1", 4);
    h.addExecutor("e2", "host2", 4);
    JobWaiter job = h.submit(TestNode.narrow(reduced));
    h.succeedAll();
    assertEquals(List.of(0, 1), job.await());
    recovery.flush();
    h.close();
    return journal;
  }

  @Test
  void aJournaledMapStageWhoseExecutorsAreBackIsNotRunAgain() {
    TestNode reduced = TestNode.shuffled(2, TestNode.source(3));
    List<JournalRecord> journal = firstAttempt(reduced);
    assertEquals(1, journal.size(), journal.toString());
    assertEquals(JournalRecord.MAP_STAGE_FINISHED, journal.get(0).kind());

    SchedulerHarness h = new SchedulerHarness();
    List<JournalRecord> second = new CopyOnWriteArrayList<>();
    h.dag.useMapOutputRecovery(MapOutputRecovery.of(journal, second::add, hadoop));
    h.addExecutor("e1", "host1", 4);
    h.addExecutor("e2", "host2", 4);
    JobWaiter job = h.submit(TestNode.narrow(reduced));
    List<TaskDescription> first = h.running();
    assertEquals(2, first.size());
    assertTrue(first.stream().noneMatch(TaskDescription::shuffleMapTask), "the map stage was recovered: " + first);
    h.succeedAll();
    assertEquals(List.of(0, 1), job.await());
    assertTrue(h.backend.launched.values().stream().noneMatch(TaskDescription::shuffleMapTask));
    assertTrue(h.dag.isIdle());
    h.close();
  }

  @Test
  void aMissingExecutorMeansTheWholeMapStageRuns() {
    TestNode reduced = TestNode.shuffled(2, TestNode.source(3));
    List<JournalRecord> journal = firstAttempt(reduced);

    SchedulerHarness h = new SchedulerHarness();
    h.dag.useMapOutputRecovery(MapOutputRecovery.of(journal, r -> { }, hadoop));
    h.addExecutor("e1", "host1", 4); // e2 did not come back
    JobWaiter job = h.submit(TestNode.narrow(reduced));
    List<TaskDescription> maps = h.running();
    assertEquals(3, maps.size(), "all map tasks, not only e2's: " + maps);
    assertTrue(maps.stream().allMatch(TaskDescription::shuffleMapTask));
    h.succeedAll();
    assertEquals(List.of(0, 1), job.await());
    assertTrue(h.dag.isIdle());
    h.close();
  }
}
