package io.weft.yarn.am;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterResponse;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.UpdateContainerRequest;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.apache.hadoop.yarn.util.Records;

/**
 * A hand-written ResourceManager client for ApplicationMaster tests: records registration,
 * unregistration and requests, and lets the test play the ResourceManager's callbacks through
 * {@link #handler()}. Thread-safe enough for one AM thread plus the test thread.
 */
final class TestingAmRmClient extends AMRMClientAsync<ContainerRequest> {
  record Unregistration(FinalApplicationStatus status, String diagnostic, String trackingUrl) {}

  final AbstractCallbackHandler callbacks;
  volatile String registeredHost;
  volatile String trackingUrl;
  volatile boolean failRegistration;
  final List<Unregistration> unregistrations = new CopyOnWriteArrayList<>();
  /** Every request added, withdrawn or not. */
  final List<ContainerRequest> requests = new CopyOnWriteArrayList<>();
  /** Requests withdrawn; they stay in {@link #requests}. */
  final List<ContainerRequest> removed = new CopyOnWriteArrayList<>();
  final List<ContainerId> released = new CopyOnWriteArrayList<>();

  /** A client whose callbacks do nothing: for tests that drive the code under test directly. */
  static TestingAmRmClient ignoringCallbacks() {
    return new TestingAmRmClient(1000, new AbstractCallbackHandler() {
      @Override public void onContainersCompleted(List<org.apache.hadoop.yarn.api.records.ContainerStatus> s) {}
      @Override public void onContainersAllocated(List<org.apache.hadoop.yarn.api.records.Container> c) {}
      @Override public void onContainersUpdated(List<org.apache.hadoop.yarn.api.records.UpdatedContainer> c) {}
      @Override public void onShutdownRequest() {}
      @Override public void onNodesUpdated(List<org.apache.hadoop.yarn.api.records.NodeReport> n) {}
      @Override public float getProgress() {
        return 0;
      }
      @Override public void onError(Throwable e) {}
    });
  }

  TestingAmRmClient(int heartbeatMs, AbstractCallbackHandler handler) {
    super(heartbeatMs, handler);
    this.callbacks = handler;
  }

  AbstractCallbackHandler handler() {
    return callbacks;
  }

  /** The heartbeat interval now set, as the client's heartbeat thread would read it. */
  int heartbeatMs() {
    return heartbeatIntervalMs.get();
  }

  @Override
  public RegisterApplicationMasterResponse registerApplicationMaster(String host, int port, String url)
      throws java.io.IOException {
    if (failRegistration) {
      throw new java.io.IOException("ResourceManager unreachable (test)");
    }
    registeredHost = host;
    trackingUrl = url;
    RegisterApplicationMasterResponse r = Records.newRecord(RegisterApplicationMasterResponse.class);
    r.setMaximumResourceCapability(Resource.newInstance(2048, 4));
    return r;
  }

  @Override
  public void unregisterApplicationMaster(FinalApplicationStatus status, String diagnostic, String url) {
    unregistrations.add(new Unregistration(status, diagnostic, url));
  }

  @Override
  public List<? extends Collection<ContainerRequest>> getMatchingRequests(Priority p, String resourceName, Resource r) {
    return new ArrayList<>();
  }

  @Override
  public void addContainerRequest(ContainerRequest req) {
    requests.add(req);
  }

  @Override
  public void removeContainerRequest(ContainerRequest req) {
    removed.add(req);
  }

  /**
   * The requests added and not withdrawn, as the ResourceManager would see them (by identity:
   * {@code ContainerRequest} has no equals, and AMRMClient withdraws by what a request names).
   */
  List<ContainerRequest> outstanding() {
    List<ContainerRequest> out = new ArrayList<>();
    for (ContainerRequest r : requests) {
      if (removed.stream().noneMatch(x -> x == r)) {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public void requestContainerUpdate(org.apache.hadoop.yarn.api.records.Container c, UpdateContainerRequest r) {}

  @Override
  public void releaseAssignedContainer(ContainerId id) {
    released.add(id);
  }

  @Override
  public Resource getAvailableResources() {
    return Resource.newInstance(4096, 4);
  }

  /** What {@link #getClusterNodeCount} answers. */
  volatile int clusterNodes = 1;
  /** Every exclusion-list update: additions then removals. */
  final List<List<List<String>>> blacklistUpdates = new CopyOnWriteArrayList<>();

  @Override
  public int getClusterNodeCount() {
    return clusterNodes;
  }

  @Override
  public void updateBlacklist(List<String> add, List<String> remove) {
    blacklistUpdates.add(List.of(List.copyOf(add), List.copyOf(remove)));
  }
}
