package io.weft.yarn.am;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hosts this application has on the ResourceManager's exclusion list (AMRM
 * {@code updateBlacklist}), and what to send to move it to the scheduler's latest excluded set:
 * additions and removals, as the AMRM protocol wants them. Capped: with N nodes in the cluster,
 * at most N - 1 hosts are ever excluded there (the first ones in name order), so the application
 * can always get a container somewhere.
 *
 * <p>Example: 3 nodes, on the list {h1}; the scheduler now excludes {h1, h2, h3}: the list becomes
 * {h1, h2}, sending additions [h2] and no removals; later {} sends removals [h1, h2].
 *
 * <p>Threading: guarded by its own monitor (the scheduler thread updates, HTTP threads read).
 */
final class YarnHostExclusions {
  /** What to send to the ResourceManager; both empty when nothing changes. */
  record Update(List<String> additions, List<String> removals, Set<String> now, int capped) {
    boolean isEmpty() {
      return additions.isEmpty() && removals.isEmpty();
    }
  }

  private Set<String> onList = new TreeSet<>();

  /** Moves the list to {@code wanted}, capped for a cluster of {@code clusterNodes} nodes (0: unknown, no cap). */
  synchronized Update update(Set<String> wanted, int clusterNodes) {
    Set<String> next = new TreeSet<>();
    int limit = clusterNodes > 0 ? clusterNodes - 1 : Integer.MAX_VALUE;
    for (String host : new TreeSet<>(wanted)) {
      if (next.size() < limit) {
        next.add(host);
      }
    }
    List<String> additions = new ArrayList<>(next);
    additions.removeAll(onList);
    List<String> removals = new ArrayList<>(onList);
    removals.removeAll(next);
    onList = next;
    return new Update(additions, removals, java.util.Collections.unmodifiableSet(new TreeSet<>(next)),
        wanted.size() - next.size());
  }

  synchronized Set<String> hosts() {
    return new TreeSet<>(onList);
  }
}
