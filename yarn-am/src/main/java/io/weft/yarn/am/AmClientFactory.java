package io.weft.yarn.am;

import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;

/**
 * Creates the ApplicationMaster's YARN clients, so a test runs the real lifecycle against
 * hand-written fakes (STYLE habit 6). The AM calls {@code init(conf)} and {@code start()} on what
 * it gets, and {@code stop()} at the end.
 *
 * <p>Threading: called once each, on the AM's main thread, before registration.
 */
public interface AmClientFactory {
  AMRMClientAsync<ContainerRequest> createAmRmClient(int heartbeatMs, AMRMClientAsync.AbstractCallbackHandler handler);

  NMClientAsync createNmClient(NMClientAsync.AbstractCallbackHandler handler);

  /** The real clients. */
  AmClientFactory YARN = new AmClientFactory() {
    @Override
    public AMRMClientAsync<ContainerRequest> createAmRmClient(int heartbeatMs,
        AMRMClientAsync.AbstractCallbackHandler handler) {
      return AMRMClientAsync.createAMRMClientAsync(heartbeatMs, handler);
    }

    @Override
    public NMClientAsync createNmClient(NMClientAsync.AbstractCallbackHandler handler) {
      return NMClientAsync.createNMClientAsync(handler);
    }
  };
}
