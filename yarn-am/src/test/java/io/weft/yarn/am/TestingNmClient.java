package io.weft.yarn.am;

import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;

/** A NodeManager client that starts nothing; it records what it was asked to start. */
final class TestingNmClient extends NMClientAsync {
  final AbstractCallbackHandler callbacks;
  final java.util.Map<ContainerId, ContainerLaunchContext> started = new java.util.concurrent.ConcurrentHashMap<>();

  TestingNmClient(AbstractCallbackHandler handler) {
    super(handler);
    this.callbacks = handler;
  }

  @Override
  public void startContainerAsync(Container container, ContainerLaunchContext ctx) {
    started.put(container.getId(), ctx);
  }

  @Override
  public void increaseContainerResourceAsync(Container container) {}

  @Override
  public void updateContainerResourceAsync(Container container) {}

  @Override
  public void reInitializeContainerAsync(ContainerId id, ContainerLaunchContext ctx, boolean autoCommit) {}

  @Override
  public void restartContainerAsync(ContainerId id) {}

  @Override
  public void rollbackLastReInitializationAsync(ContainerId id) {}

  @Override
  public void commitLastReInitializationAsync(ContainerId id) {}

  @Override
  public void stopContainerAsync(ContainerId id, NodeId nodeId) {}

  @Override
  public void getContainerStatusAsync(ContainerId id, NodeId nodeId) {}
}
