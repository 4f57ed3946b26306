package io.weft.yarn.am;

import java.util.List;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.NodeReport;

/**
 * Receives what the ResourceManager and NodeManagers report about containers, for whoever owns
 * container state (the YARN cluster backend). Register with
 * {@link YarnAmServices#addYarnEventListener}.
 *
 * <p>Threading: the {@code AMRMClientAsync} callback thread calls the first three methods, the
 * {@code NMClientAsync} callback threads the others, concurrently with each other. An
 * implementation must only hand the data to its own thread (post an event) and return: a slow
 * listener delays heartbeats, and the ResourceManager expires an AM that stops heartbeating.
 * Failure: an exception thrown here is logged and otherwise ignored.
 *
 * <p>Lifecycle events (shutdown requests, fatal client errors) are not here: the
 * ApplicationMaster owns those and ends the application.
 */
public interface YarnEventListener {
  /** New containers, in the order the ResourceManager granted them. */
  default void containersAllocated(List<Container> containers) {}

  /** Containers that ended, with their exit status and diagnostics. */
  default void containersCompleted(List<ContainerStatus> statuses) {}

  /** Nodes whose state changed (unhealthy, decommissioned, lost...). */
  default void nodesUpdated(List<NodeReport> nodes) {}

  /** A NodeManager started a container this AM asked it to start. */
  default void containerStarted(ContainerId containerId) {}

  /** A NodeManager refused or failed to start a container. */
  default void containerStartFailed(ContainerId containerId, Throwable cause) {}

  /** A container this AM asked to stop has stopped. */
  default void containerStopped(ContainerId containerId) {}

  /**
   * The AM obtained fresh delegation tokens with its keytab (Hadoop token-storage bytes); called on
   * the token refresher's thread. Running executors need them before the old ones expire.
   */
  default void credentialsRefreshed(byte[] tokenStorage) {}
}
