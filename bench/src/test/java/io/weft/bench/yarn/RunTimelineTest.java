package io.weft.bench.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunTimelineTest {
  private static final long T0 = LocalDateTime.of(2026, 11, 30, 10, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();

  private static final List<String> AM_LOG = List.of(
      "SLF4J: some binding noise",
      "26/11/30 10:00:03.400 INFO  ApplicationMaster: ApplicationMaster appattempt_1_0001_000001 starting io.weft.examples.WordCount",
      "26/11/30 10:00:03.900 INFO  ApplicationMaster: Registered with the ResourceManager; tracking URL http://h:1/",
      "26/11/30 10:00:05.600 INFO  RemoteExecutorsBackend: Executor 1 registered from localhost (1 slots, block server port 4)",
      "26/11/30 10:00:05.700 INFO  RemoteExecutorsBackend: Executor 2 registered from localhost (1 slots, block server port 5)",
      "26/11/30 10:00:06.800 INFO  ApplicationMaster: Unregistering: SUCCEEDED",
      "26/11/30 10:00:06.900 INFO  ApplicationMaster: Unregistered: SUCCEEDED");

  @Test
  void theClassDocsExampleFromAnAmLog() {
    RunTimeline.AmMoments am = RunTimeline.parseAmLog(AM_LOG, ZoneOffset.UTC);
    assertEquals(new RunTimeline.AmMoments(T0 + 3400, T0 + 3900, T0 + 5600, T0 + 6800), am);
    List<Double> phases = new RunTimeline(T0, T0 + 1900, am, T0 + 7300).phases();
    assertEquals(Arrays.asList(1.9, 1.5, 0.5, 1.7, 1.2, 0.5, 7.3), phases);
  }

  @Test
  void withoutExecutorsTheJobStartsAtRegistration() {
    List<String> inAm = AM_LOG.stream().filter(l -> !l.contains("Executor ")).toList();
    RunTimeline.AmMoments am = RunTimeline.parseAmLog(inAm, ZoneOffset.UTC);
    assertNull(am.firstExecutor());
    List<Double> phases = new RunTimeline(T0, T0 + 1900, am, T0 + 7300).phases();
    assertNull(phases.get(3));
    assertEquals(2.9, phases.get(4), 1e-9, "registered 3.9 → unregistered 6.8");
  }

  @Test
  void tableShowsMissingPhasesAndMedians() {
    List<Double> a = Arrays.asList(3.0, 1.0, 1.0, null, 1.0, 1.0, 7.0);
    List<Double> b = Arrays.asList(1.0, 1.0, 1.0, null, 2.0, 1.0, 6.0);
    List<Double> c = Arrays.asList(2.0, 1.0, 1.0, null, 4.0, 1.0, 9.0);
    List<PhaseTable.Row> rows = List.of(new PhaseTable.Row("w", 1, true, a), new PhaseTable.Row("w", 2, false, b),
        new PhaseTable.Row("w", 3, false, c));
    assertEquals(Arrays.asList(2.0, 1.0, 1.0, null, 2.0, 1.0, 7.0), PhaseTable.medians(rows));
    String table = PhaseTable.markdown(rows);
    assertTrue(table.contains("| w | 1 (cold) | 3.00 | 1.00 | 1.00 | — | 1.00 | 1.00 | 7.00 |"), table);
    assertTrue(table.contains("| w | **median** | 2.00 | 1.00 | 1.00 | — | 2.00 | 1.00 | 7.00 |"), table);
    assertEquals(1.5, PhaseTable.median(List.of(1.0, 2.0)));
  }
}
