package io.weft.yarn.am;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.UpdatedContainer;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ApplicationMaster's callback handlers for {@code AMRMClientAsync} and {@code NMClientAsync}.
 * They decide nothing: container and node events go to the registered
 * {@link YarnEventListener}s (the YARN backend), shutdown requests and fatal client errors to
 * the AM's lifecycle ({@code onStop}), and progress comes from {@code progress}.
 *
 * <p>Threading: called on the clients' callback threads; listeners are a copy-on-write list, so
 * registration from another thread is safe. Failure: a listener that throws is logged and the
 * others still get the event.
 */
final class AmCallbacks {
  private static final Logger LOG = LoggerFactory.getLogger(AmCallbacks.class);

  /**
   * Why the application must end now. {@code rmInitiated}: the ResourceManager has already
   * decided (the application was killed, or this attempt is over), so there is nothing to
   * unregister.
   */
  record Stop(String reason, boolean rmInitiated) {}

  private final List<YarnEventListener> listeners = new CopyOnWriteArrayList<>();
  private final Consumer<Stop> onStop;
  private final DoubleSupplier progress;

  /**
   * @param onStop called with a reason when the ResourceManager asks the AM to shut down or a
   *     client hits an unrecoverable error
   * @param progress the application's progress in [0, 1], reported on each heartbeat
   */
  AmCallbacks(Consumer<Stop> onStop, DoubleSupplier progress) {
    this.onStop = onStop;
    this.progress = progress;
  }

  void addListener(YarnEventListener listener) {
    listeners.add(listener);
  }

  /** Fresh delegation tokens from the {@link TokenRefresher} (its thread), for every listener. */
  void credentialsRefreshed(byte[] tokenStorage) {
    forEach("credentialsRefreshed", l -> l.credentialsRefreshed(tokenStorage));
  }

  private void forEach(String what, Consumer<YarnEventListener> call) {
    for (YarnEventListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.error("YARN event listener {} failed on {}", l, what, e);
      }
    }
  }

  final AMRMClientAsync.AbstractCallbackHandler amRm = new AMRMClientAsync.AbstractCallbackHandler() {
    @Override
    public void onContainersAllocated(List<Container> containers) {
      forEach("containersAllocated", l -> l.containersAllocated(containers));
    }

    @Override
    public void onContainersCompleted(List<ContainerStatus> statuses) {
      forEach("containersCompleted", l -> l.containersCompleted(statuses));
    }

    @Override
    public void onContainersUpdated(List<UpdatedContainer> containers) {
      // Weft never asks to resize containers
    }

    @Override
    public void onNodesUpdated(List<NodeReport> nodes) {
      forEach("nodesUpdated", l -> l.nodesUpdated(nodes));
    }

    @Override
    public void onShutdownRequest() {
      onStop.accept(new Stop("the ResourceManager asked the ApplicationMaster to shut down", true));
    }

    @Override
    public void onError(Throwable e) {
      LOG.error("ResourceManager client failed", e);
      onStop.accept(new Stop("the ResourceManager client failed: " + e, false));
    }

    @Override
    public float getProgress() {
      return (float) progress.getAsDouble();
    }
  };

  final NMClientAsync.AbstractCallbackHandler nm = new NMClientAsync.AbstractCallbackHandler() {
    @Override
    public void onContainerStarted(ContainerId id, Map<String, java.nio.ByteBuffer> serviceData) {
      forEach("containerStarted", l -> l.containerStarted(id));
    }

    @Override
    public void onStartContainerError(ContainerId id, Throwable t) {
      forEach("containerStartFailed", l -> l.containerStartFailed(id, t));
    }

    @Override
    public void onContainerStopped(ContainerId id) {
      forEach("containerStopped", l -> l.containerStopped(id));
    }

    @Override
    public void onStopContainerError(ContainerId id, Throwable t) {
      // the container is going away anyway; its completion arrives from the ResourceManager
      LOG.warn("Stopping container {} failed: {}", id, t.toString());
    }

    @Override
    public void onContainerStatusReceived(ContainerId id, ContainerStatus status) {}

    @Override
    public void onGetContainerStatusError(ContainerId id, Throwable t) {}

    @Override
    public void onContainerResourceIncreased(ContainerId id, Resource resource) {}

    @Override
    public void onContainerResourceUpdated(ContainerId id, Resource resource) {}

    @Override
    public void onIncreaseContainerResourceError(ContainerId id, Throwable t) {}

    @Override
    public void onUpdateContainerResourceError(ContainerId id, Throwable t) {}
  };
}
