package io.weft.scheduler.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.status.ListenerEvent;
import io.weft.testing.ManualClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Exclusion decisions with fake executors and hosts and a manual clock. */
class ExcludeOnFailureTest {
  private static final long HOUR = 3_600_000;

  private final ManualClock clock = new ManualClock(1_000_000);
  private final List<ListenerEvent> events = new ArrayList<>();
  private final List<Set<String>> hostUpdates = new ArrayList<>();
  private final Map<String, String> live = new HashMap<>();
  private final Set<String> known = new TreeSet<>();
  private final ExcludeOnFailure.Cluster cluster = new ExcludeOnFailure.Cluster() {
    @Override
    public Map<String, String> liveExecutorHosts() {
      return live;
    }

    @Override
    public Set<String> knownHosts() {
      return known;
    }
  };

  private ExcludeOnFailure exclusions(boolean enabled) {
    return new ExcludeOnFailure(new ExcludeOnFailure.Settings(enabled, 2, 2, HOUR), clock, events::add,
        hostUpdates::add);
  }

  private void executor(String id, String host) {
    live.put(id, host);
    known.add(host);
  }

  @Test
  void anExecutorWhereTasksKeepFailingIsExcludedForTheTimeout() {
    executor("1", "h1");
    executor("2", "h2");
    ExcludeOnFailure x = exclusions(true);
    x.taskFailed("1", "h1", cluster);
    assertFalse(x.isExcluded("1", "h1"), "one failure is bad luck");
    x.taskFailed("1", "h1", cluster);
    assertTrue(x.isExcluded("1", "h1"));
    assertFalse(x.isExcluded("2", "h2"));
    assertEquals(Set.of(), x.excludedHosts(), "one bad executor does not exclude its host");
    assertTrue(events.get(0) instanceof ListenerEvent.ExecutorExcluded e && e.executorId().equals("1"), events.toString());
    clock.advance(HOUR - 1);
    x.refresh(cluster);
    assertTrue(x.isExcluded("1", "h1"));
    clock.advance(1);
    x.refresh(cluster);
    assertFalse(x.isExcluded("1", "h1"), "excluded only for weft.excludeOnFailure.timeout");
    assertTrue(events.get(1) instanceof ListenerEvent.ExclusionEnded);
  }

  @Test
  void failuresOlderThanTheTimeoutDoNotCount() {
    executor("1", "h1");
    executor("2", "h2");
    ExcludeOnFailure x = exclusions(true);
    x.taskFailed("1", "h1", cluster);
    clock.advance(HOUR + 1);
    x.taskFailed("1", "h1", cluster);
    assertFalse(x.isExcluded("1", "h1"));
  }

  @Test
  void aHostWhoseExecutorsKeepDyingIsExcludedAndTheBackendHearsIt() {
    executor("1", "h1");
    executor("2", "h2");
    ExcludeOnFailure x = exclusions(true);
    live.remove("1");
    x.executorDied("1", "h1", cluster);
    assertEquals(List.of(), hostUpdates);
    executor("3", "h1"); // the replacement lands on the same host and dies too
    live.remove("3");
    x.executorDied("3", "h1", cluster);
    assertEquals(List.of(Set.of("h1")), hostUpdates);
    executor("4", "h1");
    assertTrue(x.isExcluded("4", "h1"), "every executor on an excluded host is excluded");
    assertFalse(x.isExcluded("2", "h2"));
    clock.advance(HOUR);
    x.refresh(cluster);
    assertEquals(List.of(Set.of("h1"), Set.of()), hostUpdates, "the backend hears the exclusion end");
    assertFalse(x.isExcluded("4", "h1"));
  }

  @Test
  void theLastUsableExecutorOrHostIsNeverExcluded() {
    executor("1", "h1");
    ExcludeOnFailure x = exclusions(true);
    x.taskFailed("1", "h1", cluster);
    x.taskFailed("1", "h1", cluster);
    assertFalse(x.isExcluded("1", "h1"), "the only executor stays usable");
    live.remove("1");
    x.executorDied("1", "h1", cluster);
    executor("2", "h1");
    live.remove("2");
    x.executorDied("2", "h1", cluster);
    assertEquals(Set.of(), x.excludedHosts(), "the only host known stays usable");
    assertEquals(List.of(), hostUpdates);
  }

  @Test
  void exclusionsAreLiftedWhenEveryLiveExecutorEndsUpExcluded() {
    executor("1", "h1");
    executor("2", "h2");
    ExcludeOnFailure x = exclusions(true);
    x.taskFailed("1", "h1", cluster);
    x.taskFailed("1", "h1", cluster);
    assertTrue(x.isExcluded("1", "h1"));
    live.remove("2"); // the good executor died later: only the excluded one is left
    x.refresh(cluster);
    assertFalse(x.isExcluded("1", "h1"), "a cluster that can run nothing is worse");
  }

  @Test
  void disabledExcludesNothing() {
    executor("1", "h1");
    executor("2", "h2");
    ExcludeOnFailure x = exclusions(false);
    for (int i = 0; i < 5; i++) {
      x.taskFailed("1", "h1", cluster);
      x.executorDied("1" + i, "h1", cluster);
    }
    assertFalse(x.isExcluded("1", "h1"));
    assertEquals(List.of(), hostUpdates);
    assertEquals(List.of(), events);
  }
}
