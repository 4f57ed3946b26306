package io.weft.bench.sim;

import io.weft.cluster.LocalityDemand;
import io.weft.yarn.am.LocalityRequestPlanner;
import io.weft.yarn.am.LocalityRequestPlanner.Placement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Where a simulated application's executors land when there are fewer than nodes: the
 * ApplicationMaster's real {@link LocalityRequestPlanner} places the container requests from the
 * input's blocks (as {@code weft.yarn.locality.inputs} does: each block one task preferring its
 * replica hosts), or every request names no place (the baseline); then a simulated
 * ResourceManager grants each request as YARN would with relaxed locality and room for one
 * executor per node: on the named host if it is free, else on a free node of its rack, else on a
 * random free node.
 */
final class SimulatedAllocator {
  /** The nodes the executors got, and how many landed on the host their request named. */
  record Granted(List<Integer> nodes, int onRequestedHost) {}

  private SimulatedAllocator() {}

  static Granted place(SimulatedCluster cluster, String[][] blockHosts, int executors, boolean followData,
      Random random) {
    List<Placement> requests;
    if (followData) {
      Map<String, Integer> perHost = new HashMap<>();
      for (String[] hosts : blockHosts) {
        for (String h : hosts) {
          perHost.merge(h, 1, Integer::sum);
        }
      }
      LocalityDemand demand = new LocalityDemand(blockHosts.length, blockHosts.length, perHost);
      requests = LocalityRequestPlanner.plan(demand, executors, Map.of(), executors, cluster.rackResolver());
    } else {
      requests = java.util.Collections.nCopies(executors, Placement.ANY);
    }
    boolean[] used = new boolean[cluster.nodes()];
    List<Integer> granted = new ArrayList<>(executors);
    int onHost = 0;
    for (Placement p : requests) {
      int node = -1;
      if (p.host() != null) {
        int wanted = cluster.nodeOf(p.host());
        if (!used[wanted]) {
          node = wanted;
          onHost++;
        } else {
          node = freeAmong(cluster.nodesOnRackOf(p.host()), used, random);
        }
      }
      if (node < 0) {
        node = freeNode(used, random);
      }
      used[node] = true;
      granted.add(node);
    }
    return new Granted(granted, onHost);
  }

  private static int freeAmong(int[] nodes, boolean[] used, Random random) {
    int start = random.nextInt(nodes.length);
    for (int i = 0; i < nodes.length; i++) {
      int n = nodes[(start + i) % nodes.length];
      if (!used[n]) {
        return n;
      }
    }
    return -1;
  }

  private static int freeNode(boolean[] used, Random random) {
    int start = random.nextInt(used.length);
    for (int i = 0; i < used.length; i++) {
      int n = (start + i) % used.length;
      if (!used[n]) {
        return n;
      }
    }
    throw new IllegalStateException("more executors than nodes");
  }
}
