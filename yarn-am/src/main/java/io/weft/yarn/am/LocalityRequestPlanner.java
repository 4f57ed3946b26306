package io.weft.yarn.am;

import io.weft.cluster.LocalityDemand;
import io.weft.cluster.RackResolver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Where to ask for the containers still to be granted, given where the waiting tasks would like
 * to run: a pure function, as Spark's {@code LocalityPreferredContainerPlacementStrategy}.
 *
 * <p>The share of the executor budget that should follow the data is the share of waiting tasks
 * that prefer some host ({@code budget × aware / pending}); each host {@code h} deserves its part
 * of that, weighted by how many waiting tasks name it ({@code × tasks(h) / Σ tasks}); the
 * executors already on {@code h} count against that. The containers still to request go one by
 * one to the host with the largest remaining deficit (ties by name, so a plan is reproducible),
 * each request naming that host and its rack; once no host has a deficit left, or when no task
 * prefers any host, the rest name no place. Requests are made with relaxed locality, so YARN
 * still grants one elsewhere when the host is busy. Public for {@code bin/weft simulate}, which
 * places its simulated executors with it.
 *
 * <p>Worked example: 4 executors, none running yet, waiting tasks preferring {@code a} 6 times
 * and {@code b} and {@code c} 3 times each: the shares are a=2, b=1, c=1, so the 4 requests name
 * a, a, b, c. With one executor already on {@code a} and 3 still to request: deficits a=1, b=1,
 * c=1, so a, b, c. With no executor running and only 2 to request (2 granted elsewhere): a, a.
 * Had only half of the waiting tasks preferred a host, half the budget (2) would follow the data.
 */
public final class LocalityRequestPlanner {
  /** One container request's place: a host and its rack, or neither (anywhere). */
  public record Placement(String host, String rack) {
    public static final Placement ANY = new Placement(null, null);
  }

  private LocalityRequestPlanner() {}

  /**
   * @param demand where the waiting tasks would like to run
   * @param budget the application's executor count (granted and to be granted)
   * @param executorsPerHost executors already granted, by host
   * @param toRequest how many containers are still to be granted
   * @param racks the rack of each host (may run a topology script: call off the scheduler thread)
   * @return {@code toRequest} placements, host-named ones first
   */
  public static List<Placement> plan(LocalityDemand demand, int budget, Map<String, Integer> executorsPerHost,
      int toRequest, RackResolver racks) {
    List<Placement> plan = new ArrayList<>(toRequest);
    long totalWeight = demand.tasksPerHost().values().stream().mapToLong(Integer::longValue).sum();
    if (totalWeight > 0) {
      double localBudget = (double) budget * demand.localityAwareTasks() / Math.max(1, demand.pendingTasks());
      record Deficit(String host, double missing) {}
      PriorityQueue<Deficit> byDeficit = new PriorityQueue<>(
          Comparator.comparingDouble((Deficit d) -> -d.missing()).thenComparing(Deficit::host));
      demand.tasksPerHost().forEach((host, tasks) -> {
        double missing = localBudget * tasks / totalWeight - executorsPerHost.getOrDefault(host, 0);
        if (missing > 0) {
          byDeficit.add(new Deficit(host, missing));
        }
      });
      while (plan.size() < toRequest && !byDeficit.isEmpty()) {
        Deficit d = byDeficit.poll();
        plan.add(new Placement(d.host(), racks.rackOf(d.host())));
        if (d.missing() > 1) {
          byDeficit.add(new Deficit(d.host(), d.missing() - 1));
        }
      }
    }
    while (plan.size() < toRequest) {
      plan.add(Placement.ANY);
    }
    return plan;
  }
}
