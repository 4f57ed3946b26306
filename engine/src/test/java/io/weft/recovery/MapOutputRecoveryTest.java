package io.weft.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.cluster.ExecutorInfo;
import io.weft.scheduler.MapStatus;
import io.weft.shuffle.MapOutputLocation;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure decision of {@link MapOutputRecovery}: which journaled map stages a new attempt may reuse. */
class MapOutputRecoveryTest {
  private static final MapStatus[] STATUSES = {
      MapStatus.of(new MapOutputLocation("1", "host-a", 4001), new long[] {10, 0, 30}, 2000, 1 << 20),
      MapStatus.of(new MapOutputLocation("2", "host-b", 4002), new long[] {0, 20, 5}, 2000, 1 << 20)};
  private static final List<ExecutorInfo> BOTH_BACK = List.of(
      new ExecutorInfo("1", "host-a", 4001, 2), new ExecutorInfo("2", "host-b", 4002, 2));
  private static final List<JournalRecord> JOURNAL = List.of(MapOutputRecovery.record("fp", 0, STATUSES));

  @Test
  void aMatchingStageWhoseExecutorsReconnectedIsRecoveredWithItsExactSizes() {
    MapStatus[] got = MapOutputRecovery.decide(JOURNAL, "fp", 0, BOTH_BACK).orElseThrow();
    assertEquals(2, got.length);
    for (int m = 0; m < 2; m++) {
      assertEquals(STATUSES[m].location(), got[m].location());
      assertArrayEquals(sizes(STATUSES[m]), sizes(got[m]));
    }
  }

  @Test
  void aDifferentLineageIsRecomputed() {
    assertEquals(Optional.empty(), MapOutputRecovery.decide(JOURNAL, "other", 0, BOTH_BACK));
  }

  @Test
  void aDifferentShuffleIdIsRecomputed() {
    // the executors' block ids name the shuffle: outputs of shuffle 0 cannot serve shuffle 1
    assertEquals(Optional.empty(), MapOutputRecovery.decide(JOURNAL, "fp", 1, BOTH_BACK));
  }

  @Test
  void oneOutputOnAnExecutorThatDidNotComeBackMeansTheWholeStageRuns() {
    List<ExecutorInfo> oneBack = List.of(new ExecutorInfo("1", "host-a", 4001, 2));
    assertEquals(Optional.empty(), MapOutputRecovery.decide(JOURNAL, "fp", 0, oneBack));
  }

  @Test
  void aNewExecutorReusingAnOldIdIsNotTheOldOne() {
    // a new attempt numbers its executors from 1 again: id 2 on another port is another process
    List<ExecutorInfo> reused = List.of(new ExecutorInfo("1", "host-a", 4001, 2), new ExecutorInfo("2", "host-b", 5555, 2));
    assertEquals(Optional.empty(), MapOutputRecovery.decide(JOURNAL, "fp", 0, reused));
  }

  @Test
  void theLastMatchingRecordWinsAndAnUndecodableOneIsRecomputed() {
    MapStatus[] later = {STATUSES[1], STATUSES[0]};
    List<JournalRecord> two = List.of(JOURNAL.get(0), MapOutputRecovery.record("fp", 0, later));
    assertEquals("2", MapOutputRecovery.decide(two, "fp", 0, BOTH_BACK).orElseThrow()[0].location().executorId());
    List<JournalRecord> broken = List.of(new JournalRecord(JournalRecord.MAP_STAGE_FINISHED, "fp", List.of("0", "bm90IGEgc3RhdHVz")));
    assertTrue(MapOutputRecovery.decide(broken, "fp", 0, BOTH_BACK).isEmpty());
  }

  private static long[] sizes(MapStatus s) {
    long[] out = new long[s.numPartitions()];
    for (int r = 0; r < out.length; r++) {
      out[r] = s.blockSize(r);
    }
    return out;
  }
}
