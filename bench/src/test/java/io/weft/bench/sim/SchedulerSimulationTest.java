package io.weft.bench.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.scheduler.task.TaskLocality;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The simulator's cluster and one small run; what it measures is not asserted (it is a benchmark). */
@Timeout(120)
class SchedulerSimulationTest {
  @Test
  void blocksHaveThreeReplicasOneOnTheWritersRackTwoOnAnother() {
    SimulatedCluster cluster = new SimulatedCluster(50, 5);
    String[][] blocks = cluster.placeBlocks(2_000, new Random(1));
    for (String[] hosts : blocks) {
      assertEquals(3, new HashSet<>(List.of(hosts)).size(), "three distinct hosts");
      assertNotEquals(cluster.rackOf(hosts[0]), cluster.rackOf(hosts[1]), "second replica off the first's rack");
      assertEquals(cluster.rackOf(hosts[1]), cluster.rackOf(hosts[2]), "second and third on one rack");
    }
    Set<String> firstReplicaHosts = new HashSet<>();
    for (String[] hosts : blocks) {
      firstReplicaHosts.add(hosts[0]);
    }
    assertEquals(50, firstReplicaHosts.size(), "first replicas spread over every node");
  }

  @Test
  void everyTaskRunsOnceAndTheSchedulersLevelsMatchTheSimulationsOwnCount() {
    SchedulerSimulation.Result r = new SchedulerSimulation(
        new SchedulerSimulation.Settings(40, 4, 2, 3_000, null, 7, 2000, 500)).run();
    assertEquals(3_000, r.launches(), "no task ran twice or not at all");
    assertEquals(r.byLocality(), r.reportedByLocality());
    assertTrue(r.byLocality().keySet().stream().allMatch(l -> l != TaskLocality.PROCESS_LOCAL && l != TaskLocality.NO_PREF));
    assertTrue(r.makespanMs() >= 3_000L * 2000 / (40 * 2) / 2, "makespan cannot beat the cluster's capacity by much: " + r.makespanMs());
  }

  @Test
  void theLastLineHasTheDocumentedShape() {
    SchedulerSimulation.Result r = new SchedulerSimulation(
        new SchedulerSimulation.Settings(10, 2, 1, 100, 0L, 1, 100, 0)).run();
    assertTrue(Simulate.lastLine(r).matches("tasks=100 placements_per_s=\\d+ node_local=\\d+\\.\\d% "
        + "rack_local=\\d+\\.\\d% any=\\d+\\.\\d% makespan_s=\\d+\\.\\d"), Simulate.lastLine(r));
  }

  @Test
  void optionsParseAndBadOnesAreRefusedNamingTheOption() {
    SchedulerSimulation.Settings s = Simulate.parse(List.of("--nodes", "20", "--racks", "4", "--locality-wait", "0"));
    assertEquals(20, s.nodes());
    assertEquals(0L, s.localityWaitMs());
    assertNull(Simulate.parse(List.of("--help")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Simulate.parse(List.of("--racks", "50", "--nodes", "10")));
    assertTrue(e.getMessage().contains("--racks"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Simulate.parse(List.of("--tasks", "0")));
  }

  @Test
  void fewerExecutorsThanNodesGoWhereTheBlocksAreOrAnywhereAsAsked() {
    SimulatedCluster cluster = new SimulatedCluster(20, 4);
    String[][] blocks = new String[40][];
    for (int b = 0; b < blocks.length; b++) {
      // 20 blocks only on node 3, 20 only on node 7: by the planner's shares, one executor each
      blocks[b] = new String[] {cluster.host(b < 20 ? 3 : 7)};
    }
    SimulatedAllocator.Granted byData = SimulatedAllocator.place(cluster, blocks, 2, true, new Random(5));
    assertEquals(Set.of(3, 7), new HashSet<>(byData.nodes()));
    assertEquals(2, byData.onRequestedHost());

    SimulatedAllocator.Granted anywhere = SimulatedAllocator.place(cluster, blocks, 5, false, new Random(5));
    assertEquals(5, new HashSet<>(anywhere.nodes()).size(), "one executor per node");
    assertEquals(0, anywhere.onRequestedHost(), "no request named a host");
  }

  @Test
  void withFewerExecutorsThanNodesEveryTaskStillRunsOnceAndTheCountsAgree() {
    SchedulerSimulation.Result r = new SchedulerSimulation(
        new SchedulerSimulation.Settings(40, 4, 2, 2_000, null, 7, 2000, 500, 10, true)).run();
    assertEquals(2_000, r.launches());
    assertEquals(r.byLocality(), r.reportedByLocality());
    assertEquals(10, r.executorsOnRequestedHost(), "ten free hosts asked for, ten granted there");
  }
}
