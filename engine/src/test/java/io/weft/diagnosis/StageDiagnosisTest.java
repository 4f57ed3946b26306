package io.weft.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.HashPartitioner;
import io.weft.Pair;
import io.weft.scheduler.task.TaskLocality;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The findings from hand-made task numbers, and the sketch against exact counts. */
class StageDiagnosisTest {
  private static TaskSample task(int p, String exec, String host, long ms, long records) {
    return new TaskSample(p, exec, host, ms, records, 0, 0, 0, 0, TaskLocality.NO_PREF, Set.of(0));
  }

  @Test
  void inputSkewNamesThePartitionAndItsKeys() {
    List<TaskSample> tasks = new ArrayList<>();
    for (int p = 0; p < 7; p++) {
      tasks.add(task(p, "1", "h", 100, 10_000));
    }
    tasks.add(task(7, "2", "h", 900, 100_000));
    List<String> f = StageDiagnosis.findings(tasks, 3.0,
        (t, p) -> List.of(new KeySketch.HeavyKey(p, "hot", 90_000)));
    assertEquals(List.of("skew: partition 7 read 100,000 records (median 10,000, 10.0x) and took 0.9 s "
        + "(median 0.1 s, 9.0x); its heaviest keys: 'hot' (~90,000 records)"), f);
  }

  @Test
  void shortJitterAndSmallInputsAreNotFlagged() {
    List<TaskSample> tasks = List.of(task(0, "1", "h", 5, 10), task(1, "1", "h", 50, 100), task(2, "2", "h", 4, 10));
    assertEquals(List.of(), StageDiagnosis.findings(tasks, 3.0, (t, p) -> List.of()));
  }

  @Test
  void stragglersGcFetchWaitSpillAndLocality() {
    List<TaskSample> tasks = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      tasks.add(new TaskSample(p, "1", "fast", 1_000, 10, 300, 500, 0, 0, TaskLocality.NODE_LOCAL, Set.of()));
    }
    for (int p = 4; p < 8; p++) {
      tasks.add(new TaskSample(p, "2", "slow", 4_000, 10, 300, 500, 2 << 20, 1, TaskLocality.ANY, Set.of()));
    }
    List<String> f = StageDiagnosis.findings(tasks, 3.0, (t, p) -> List.of());
    assertEquals(5, f.size(), f.toString());
    assertEquals("stragglers on host slow: its 4 tasks took a median 4.0 s, 4.0x the 1.0 s of tasks elsewhere", f.get(0));
    assertTrue(f.get(1).startsWith("GC: 12% of task time (2.4 s of 20.0 s)"), f.get(1));
    assertTrue(f.get(2).startsWith("shuffle fetch wait: 20% of task time (4.0 s of 20.0 s)"), f.get(2));
    assertTrue(f.get(3).startsWith("spill: 8.0 MiB in 4 spills by 4 of 8 tasks"), f.get(3));
    assertTrue(f.get(4).startsWith("locality misses: 4 of 8 tasks ran away from their data (4 ANY, 0 RACK_LOCAL)"), f.get(4));
  }

  @Test
  void aMedianOfZeroRecordsIsCacheReadsNotSkew() {
    List<TaskSample> tasks = new ArrayList<>();
    for (int p = 0; p < 7; p++) {
      tasks.add(task(p, "1", "h", 100, 0));
    }
    tasks.add(task(7, "2", "h", 150, 63_000));
    assertEquals(List.of(), StageDiagnosis.findings(tasks, 3.0, (t, p) -> List.of()));
  }

  @Test
  void theSketchReportsNoKeyWhenKeysAreEvenlySpread() {
    KeySketch sketch = new KeySketch(8, new HashPartitioner(4));
    Iterator<Pair<Integer, Integer>> it = sketch.watch(
        java.util.stream.IntStream.range(0, 200_000).mapToObj(i -> Pair.of(i % 5000, i)).iterator());
    while (it.hasNext()) {
      it.next();
    }
    assertEquals(List.of(), sketch.top(0).keys());
  }

  @Test
  void theSketchKeepsAKeyWithHalfTheRecordsAndEstimatesItsCount() {
    KeySketch sketch = new KeySketch(8, new HashPartitioner(4));
    List<Pair<String, Integer>> records = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      records.add(Pair.of(i % 2 == 0 ? "hot" : "k" + i % 3001, i));
    }
    Iterator<Pair<String, Integer>> it = sketch.watch(records.iterator());
    int passed = 0;
    while (it.hasNext()) {
      it.next();
      passed++;
    }
    assertEquals(100_000, passed, "every record passes through");
    KeySketch.HeavyKey top = sketch.top(5).keys().get(0);
    assertEquals("hot", top.key());
    assertEquals(new HashPartitioner(4).partitionFor("hot"), top.partition());
    // sampled one in 32 after 1024 exact: the estimate is within a few percent of 50,000
    assertTrue(Math.abs(top.count() - 50_000) < 5_000, "estimate " + top.count());
  }
}
