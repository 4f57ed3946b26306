package io.weft.bench.sim;

import io.weft.cluster.RackResolver;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The simulated cluster's shape: {@code nodes} hosts spread round-robin over {@code racks} racks
 * (host {@code node-0007} on rack {@code /rack-07 mod R}), and where an HDFS-like file's blocks
 * live. Blocks are placed as HDFS's default policy does for a writer outside the cluster: the
 * first replica on a random node, the second and third on two other nodes of one other rack.
 */
final class SimulatedCluster {
  private final int racks;
  private final String[] hosts;
  private final Map<String, String> rackOfHost = new HashMap<>();
  /** Node indexes per rack. */
  private final int[][] nodesOnRack;

  SimulatedCluster(int nodes, int racks) {
    if (nodes < 1 || racks < 1 || racks > nodes) {
      throw new IllegalArgumentException("need 1 <= racks <= nodes (got " + nodes + " nodes, " + racks + " racks)");
    }
    this.racks = racks;
    this.hosts = new String[nodes];
    this.nodesOnRack = new int[racks][];
    int[] filled = new int[racks];
    for (int r = 0; r < racks; r++) {
      nodesOnRack[r] = new int[(nodes - r + racks - 1) / racks];
    }
    for (int n = 0; n < nodes; n++) {
      hosts[n] = String.format("node-%04d", n);
      rackOfHost.put(hosts[n], rackName(n % racks));
      nodesOnRack[n % racks][filled[n % racks]++] = n;
    }
  }

  private static String rackName(int r) {
    return String.format("/rack-%02d", r);
  }

  int nodes() {
    return hosts.length;
  }

  String host(int node) {
    return hosts[node];
  }

  RackResolver rackResolver() {
    return rackOfHost::get;
  }

  String rackOf(String host) {
    return rackOfHost.get(host);
  }

  /** The index of {@code host} ({@code node-0007} is 7). */
  int nodeOf(String host) {
    return Integer.parseInt(host.substring(host.indexOf('-') + 1));
  }

  /** The indexes of the nodes on {@code host}'s rack. */
  int[] nodesOnRackOf(String host) {
    return nodesOnRack[nodeOf(host) % racks];
  }

  /**
   * The hosts of {@code blocks} blocks, 3 replicas each (fewer when the cluster is too small):
   * first on a random node, the other two on distinct nodes of a random other rack.
   */
  String[][] placeBlocks(int blocks, Random random) {
    String[][] out = new String[blocks][];
    for (int b = 0; b < blocks; b++) {
      int first = random.nextInt(hosts.length);
      if (racks == 1) {
        out[b] = new String[] {hosts[first]};
        continue;
      }
      int other = (first % racks + 1 + random.nextInt(racks - 1)) % racks;
      int[] candidates = nodesOnRack[other];
      int second = candidates[random.nextInt(candidates.length)];
      if (candidates.length == 1) {
        out[b] = new String[] {hosts[first], hosts[second]};
        continue;
      }
      int third;
      do {
        third = candidates[random.nextInt(candidates.length)];
      } while (third == second);
      out[b] = new String[] {hosts[first], hosts[second], hosts[third]};
    }
    return out;
  }
}
