package io.weft.yarn.am;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.cluster.LocalityDemand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.junit.jupiter.api.Test;

/**
 * Container requests that follow the data, against a hand-written AMRM client: the requests the
 * ResourceManager sees name the hosts the waiting tasks want, as often as their weights say, with
 * their racks; a stage with other preferences moves them without asking for more; a granted
 * container withdraws the request it best matches. Re-planning runs on the test thread.
 */
class LocalityRequestsTest {
  private static final ApplicationAttemptId ATTEMPT =
      ApplicationAttemptId.newInstance(ApplicationId.newInstance(1L, 3), 1);
  private static final Map<String, String> RACK =
      Map.of("h1", "/r1", "h2", "/r1", "h3", "/r2", "h4", "/r2", "h5", "/r3");
  private static final Resource SIZE = Resource.newInstance(896, 2);

  private final TestingAmRmClient amRm = TestingAmRmClient.ignoringCallbacks();
  private final LocalityRequests requests =
      new LocalityRequests(amRm, SIZE, Priority.newInstance(1), RACK::get, 4, Runnable::run);

  private static Container on(String host, int n) {
    return Container.newInstance(ContainerId.newContainerId(ATTEMPT, n), NodeId.newInstance(host, 1234),
        host + ":8042", SIZE, Priority.newInstance(1), null);
  }

  /**
   * What the ResourceManager is asked for now, by place: "h1@/r1" for a request naming host h1
   * and rack /r1 (with relaxed locality), "*" for one naming nothing.
   */
  private Map<String, Integer> asked() {
    Map<String, Integer> byPlace = new TreeMap<>();
    for (ContainerRequest r : amRm.outstanding()) {
      assertEquals(SIZE, r.getCapability());
      String place = "*";
      if (r.getNodes() != null && !r.getNodes().isEmpty()) {
        assertTrue(r.getRelaxLocality(), "a busy host must not leave the request hanging");
        assertEquals(1, r.getNodes().size());
        place = r.getNodes().get(0) + "@" + String.join(",", r.getRacks());
      }
      byPlace.merge(place, 1, Integer::sum);
    }
    return byPlace;
  }

  @Test
  void requestsNameTheHostsTheWaitingTasksWantWeightedByHowManyAndTheirRacks() {
    requests.add(4);
    assertEquals(Map.of("*", 4), asked(), "no stage yet: anywhere");

    // 12 tasks; block replicas on h1 (6 tasks), h2 (3), h3 (3): shares 2, 1, 1 of 4 executors
    requests.demandChanged(new LocalityDemand(12, 12, Map.of("h1", 6, "h2", 3, "h3", 3)));

    assertEquals(Map.of("h1@/r1", 2, "h2@/r1", 1, "h3@/r2", 1), asked());
    assertEquals(4, amRm.removed.size(), "the four requests for anywhere were withdrawn");
  }

  @Test
  void aStageWithOtherPreferencesWithdrawsOnlyTheStaleRequestsAndNeverAsksForMore() {
    requests.add(4);
    requests.demandChanged(new LocalityDemand(4, 4, Map.of("h1", 2, "h3", 2)));
    assertEquals(Map.of("h1@/r1", 2, "h3@/r2", 2), asked());
    List<ContainerRequest> onH1 = amRm.outstanding().stream().filter(r -> r.getNodes().contains("h1")).toList();
    int withdrawnBefore = amRm.removed.size();

    requests.demandChanged(new LocalityDemand(8, 8, Map.of("h1", 4, "h4", 4)));

    assertEquals(Map.of("h1@/r1", 2, "h4@/r2", 2), asked());
    assertEquals(2, amRm.removed.size() - withdrawnBefore, "only the two for h3 were stale");
    assertTrue(amRm.removed.stream().allMatch(r -> r.getNodes() == null || r.getNodes().isEmpty()
        || r.getNodes().contains("h3")), "h1's requests were kept");
    assertTrue(onH1.stream().allMatch(r -> amRm.outstanding().stream().anyMatch(o -> o == r)));
    assertEquals(4, amRm.outstanding().size(), "the budget holds");
  }

  @Test
  void aGrantedContainerWithdrawsTheRequestForItsHostElseItsRackElseAnyAndASurplusOneMatchesNothing() {
    requests.add(4);
    requests.demandChanged(new LocalityDemand(4, 2, Map.of("h1", 1, "h3", 1)));
    // 2 of 4 tasks prefer a host: half the budget follows the data
    assertEquals(Map.of("h1@/r1", 1, "h3@/r2", 1, "*", 2), asked());

    assertTrue(requests.granted(on("h1", 2)));
    assertEquals(Map.of("h3@/r2", 1, "*", 2), asked(), "h1's own request");
    assertTrue(requests.granted(on("h4", 3)));
    assertEquals(Map.of("*", 2), asked(), "h4 is on h3's rack");
    assertTrue(requests.granted(on("h5", 4)));
    assertEquals(Map.of("*", 1), asked(), "no request for h5 or /r3: one for anywhere");
    assertTrue(requests.granted(on("h3", 5)));
    assertEquals(Map.of(), asked());
    assertFalse(requests.granted(on("h2", 6)), "nothing outstanding: surplus");
  }

  @Test
  void executorsAlreadyOnAHostCountAgainstItsShareUntilTheyEnd() {
    LocalityRequests requests = new LocalityRequests(amRm, SIZE, Priority.newInstance(1), RACK::get, 2, Runnable::run);
    requests.add(2);
    requests.demandChanged(new LocalityDemand(4, 4, Map.of("h1", 2, "h2", 2)));
    assertEquals(Map.of("h1@/r1", 1, "h2@/r1", 1), asked());
    Container c = on("h1", 2);
    assertTrue(requests.granted(c));
    requests.add(1); // executor lost elsewhere: a replacement

    requests.demandChanged(new LocalityDemand(4, 4, Map.of("h1", 4)));
    assertEquals(Map.of("h1@/r1", 1, "*", 1), asked(), "h1's share is 2 of 2 and it has one");

    requests.ended(c.getId());
    requests.demandChanged(new LocalityDemand(4, 4, Map.of("h1", 4)));
    assertEquals(Map.of("h1@/r1", 2), asked(), "its executor ended: both go there");
  }

  @Test
  void withdrawingAllLeavesNothingOutstandingAndNothingIsAskedForAfterwards() {
    requests.add(3);
    List<ContainerRequest> made = new ArrayList<>(amRm.outstanding());
    assertEquals(3, requests.withdrawAll());
    assertEquals(Map.of(), asked());
    for (int i = 0; i < made.size(); i++) {
      assertSame(made.get(i), amRm.removed.get(i), "withdrawn by the very request object");
    }
    requests.demandChanged(new LocalityDemand(2, 2, Map.of("h1", 2))); // a re-plan that was still queued
    requests.add(1);
    assertEquals(Map.of(), asked(), "nothing is asked for once withdrawn");
  }
}
