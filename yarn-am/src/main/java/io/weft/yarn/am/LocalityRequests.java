package io.weft.yarn.am;

import io.weft.cluster.LocalityDemand;
import io.weft.cluster.RackResolver;
import io.weft.yarn.am.LocalityRequestPlanner.Placement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor container requests outstanding with the ResourceManager, placed where the waiting
 * tasks' data is ({@link LocalityRequestPlanner}). The provisioner decides how many containers it
 * needs; this class decides where to ask for them and keeps the exact request objects, so that
 * each can be withdrawn ({@code removeContainerRequest} matches by host, rack and priority).
 *
 * <ul>
 *   <li>{@link #add} asks for more containers, placed by the latest demand.
 *   <li>{@link #demandChanged} (from the scheduler's thread) hands the new demand to the planning
 *       executor, which re-plans every outstanding request: it withdraws the requests the new plan
 *       no longer has and adds the ones it lacks, never changing how many are outstanding. So a
 *       stage with other preferences moves the requests, and the executor budget holds.
 *   <li>{@link #granted} withdraws the request a granted container satisfies, matched host, then
 *       rack, then any (a request naming no place first, so located ones stay for their hosts);
 *       the provisioner releases a container that comes when nothing is outstanding.
 * </ul>
 *
 * <p>Racks are resolved on the planning executor and on YARN's callback thread, never on the
 * scheduler's. Threading: state under this object's monitor; nothing blocks while holding it but
 * the AMRM client's own (short) synchronized methods.
 */
final class LocalityRequests {
  private static final Logger LOG = LoggerFactory.getLogger(LocalityRequests.class);

  private final AMRMClientAsync<ContainerRequest> client;
  private final Resource capability;
  private final Priority priority;
  private final RackResolver racks;
  private final int budget;
  private final Executor planning;
  /** Outstanding requests, in the order they were made, with where each asks. */
  private final Map<ContainerRequest, Placement> outstanding = new LinkedHashMap<>();
  /** Granted containers' hosts, for the planner's "already there" count. */
  private final Map<ContainerId, String> grantedHosts = new HashMap<>();
  private LocalityDemand demand = LocalityDemand.NONE;
  /** {@link #withdrawAll} ran: a re-plan still queued on the planning executor must ask for nothing. */
  private boolean closed;

  /**
   * @param budget the application's executor count
   * @param planning where re-planning runs: a single thread of its own in the AM, the caller's in tests
   */
  LocalityRequests(AMRMClientAsync<ContainerRequest> client, Resource capability, Priority priority,
      RackResolver racks, int budget, Executor planning) {
    this.client = client;
    this.capability = capability;
    this.priority = priority;
    this.racks = racks;
    this.budget = budget;
    this.planning = planning;
  }

  /** Asks for {@code n} more containers, placed by the latest demand. */
  synchronized void add(int n) {
    replan(outstanding.size() + n);
  }

  /** How many requests are outstanding. */
  synchronized int size() {
    return outstanding.size();
  }

  /** The places outstanding requests name, in request order (for tests and logs). */
  synchronized List<Placement> placements() {
    return List.copyOf(outstanding.values());
  }

  /**
   * The scheduler's waiting tasks would like other places. Called on the scheduler's thread:
   * only hands the work to the planning executor.
   */
  void demandChanged(LocalityDemand newDemand) {
    try {
      planning.execute(() -> follow(newDemand));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("Not re-planning container requests: the provisioner stopped"); // nothing is outstanding then
    }
  }

  /** Re-plans the outstanding requests for {@code newDemand} now, on the caller's thread. */
  void follow(LocalityDemand newDemand) {
    racks.prefetch(newDemand.tasksPerHost().keySet()); // a script may be slow: not under the monitor
    synchronized (this) {
      demand = newDemand;
      replan(outstanding.size());
    }
  }

  /**
   * {@code c} was granted for one of the outstanding requests: withdraws the best match (host,
   * rack, any) so that AMRMClient does not ask for it again (YARN-1902). Returns false when
   * nothing is outstanding (the container is surplus).
   */
  boolean granted(Container c) {
    String host = c.getNodeId().getHost();
    String rack = racks.rackOf(host); // resolved here, on YARN's thread, and cached for the scheduler
    ContainerRequest match;
    synchronized (this) {
      match = bestMatch(host, rack);
      if (match == null) {
        return false;
      }
      outstanding.remove(match);
      grantedHosts.put(c.getId(), host);
    }
    client.removeContainerRequest(match);
    return true;
  }

  /** Container {@code id} ended: its host has one executor fewer. */
  synchronized void ended(ContainerId id) {
    grantedHosts.remove(id);
  }

  /**
   * Withdraws every outstanding request (the provisioner stops); returns how many there were.
   * Nothing is asked for afterwards.
   */
  synchronized int withdrawAll() {
    closed = true;
    int n = outstanding.size();
    outstanding.keySet().forEach(client::removeContainerRequest);
    outstanding.clear();
    return n;
  }

  private ContainerRequest bestMatch(String host, String rack) {
    ContainerRequest onRack = null;
    ContainerRequest anywhere = null;
    ContainerRequest any = null;
    for (Map.Entry<ContainerRequest, Placement> e : outstanding.entrySet()) {
      Placement p = e.getValue();
      if (host.equals(p.host())) {
        return e.getKey();
      }
      if (onRack == null && rack != null && rack.equals(p.rack())) {
        onRack = e.getKey();
      }
      if (anywhere == null && p.host() == null) {
        anywhere = e.getKey();
      }
      if (any == null) {
        any = e.getKey();
      }
    }
    return onRack != null ? onRack : anywhere != null ? anywhere : any;
  }

  /** Makes the outstanding requests match a fresh plan for {@code n} containers, changing only what differs. */
  private void replan(int n) {
    if (closed) {
      return;
    }
    Map<String, Integer> perHost = new HashMap<>();
    grantedHosts.values().forEach(h -> perHost.merge(h, 1, Integer::sum));
    List<Placement> wanted = new ArrayList<>(LocalityRequestPlanner.plan(demand, budget, perHost, n, racks));
    List<ContainerRequest> stale = new ArrayList<>();
    for (Iterator<Map.Entry<ContainerRequest, Placement>> it = outstanding.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<ContainerRequest, Placement> e = it.next();
      if (!wanted.remove(e.getValue())) { // kept: the plan still has this place
        stale.add(e.getKey());
        it.remove();
      }
    }
    stale.forEach(client::removeContainerRequest);
    for (Placement p : wanted) {
      ContainerRequest r = p.host() == null
          ? new ContainerRequest(capability, null, null, priority)
          : new ContainerRequest(capability, new String[] {p.host()},
              p.rack() == null ? null : new String[] {p.rack()}, priority, true);
      outstanding.put(r, p);
      client.addContainerRequest(r);
    }
    if (!stale.isEmpty() || !wanted.isEmpty()) {
      LOG.info("Executor container requests: {} withdrawn, {} added; outstanding now {}", stale.size(),
          wanted.size(), summary());
    }
  }

  private String summary() {
    Map<String, Integer> byPlace = new java.util.TreeMap<>();
    outstanding.values().forEach(p -> byPlace.merge(p.host() == null ? "anywhere" : p.host() + " (" + p.rack() + ")",
        1, Integer::sum));
    return byPlace.toString();
  }
}
