package io.weft.yarn.am;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weft.cluster.LocalityDemand;
import io.weft.cluster.RackResolver;
import io.weft.yarn.am.LocalityRequestPlanner.Placement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The planner's worked examples, and its edges: no preference, more hosts than containers. */
class LocalityRequestPlannerTest {
  private static final Map<String, String> RACK = Map.of("a", "/r1", "b", "/r1", "c", "/r2", "d", "/r2");
  private static final RackResolver RACKS = RACK::get;

  /** How many requests name each host ("*" for anywhere), and that each names its host's rack. */
  private static Map<String, Integer> perHost(List<Placement> plan) {
    Map<String, Integer> counts = new TreeMap<>();
    for (Placement p : plan) {
      assertEquals(p.host() == null ? null : RACK.get(p.host()), p.rack(), "a request names its host's rack");
      counts.merge(p.host() == null ? "*" : p.host(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void hostsGetTheirShareOfTheBudgetByHowManyTasksWantThem() {
    LocalityDemand demand = new LocalityDemand(12, 12, Map.of("a", 6, "b", 3, "c", 3));
    assertEquals(Map.of("a", 2, "b", 1, "c", 1), perHost(LocalityRequestPlanner.plan(demand, 4, Map.of(), 4, RACKS)));
    assertEquals(Map.of("a", 1, "b", 1, "c", 1),
        perHost(LocalityRequestPlanner.plan(demand, 4, Map.of("a", 1), 3, RACKS)), "a already has one");
    assertEquals(Map.of("a", 2), perHost(LocalityRequestPlanner.plan(demand, 4, Map.of(), 2, RACKS)),
        "the biggest deficit first");
  }

  @Test
  void containersBeyondWhatTheDataWantsAndTasksWithoutPreferenceAskForAnywhere() {
    assertEquals(Map.of("*", 3), perHost(LocalityRequestPlanner.plan(LocalityDemand.NONE, 3, Map.of(), 3, RACKS)));
    LocalityDemand onA = new LocalityDemand(10, 10, Map.of("a", 10));
    assertEquals(Map.of("a", 1), perHost(LocalityRequestPlanner.plan(onA, 4, Map.of("a", 3), 1, RACKS)),
        "a's share is all 4 and it has 3: the last one goes there too");
    LocalityDemand half = new LocalityDemand(10, 5, Map.of("a", 5));
    assertEquals(Map.of("a", 1, "*", 2), perHost(LocalityRequestPlanner.plan(half, 4, Map.of("a", 1), 3, RACKS)),
        "half the tasks prefer a host: half the budget (2) follows the data; a has 1 of them");
  }

  @Test
  void moreHostsThanContainersRoundsEachShareUpButNeverAsksForMore() {
    LocalityDemand spread = new LocalityDemand(4, 4, Map.of("a", 1, "b", 1, "c", 1, "d", 1));
    List<Placement> plan = LocalityRequestPlanner.plan(spread, 2, Map.of(), 2, RACKS);
    assertEquals(Map.of("a", 1, "b", 1), perHost(plan), "equal deficits of 1/2 each: by name, two of them");
    assertEquals(0, LocalityRequestPlanner.plan(spread, 2, Map.of(), 0, RACKS).size());
  }
}
