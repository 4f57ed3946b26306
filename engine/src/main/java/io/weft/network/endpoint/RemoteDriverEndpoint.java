package io.weft.network.endpoint;

import io.weft.executor.DriverEndpoint;
import io.weft.network.protocol.CanCommit;
import io.weft.network.protocol.CanCommitResponse;
import io.weft.network.protocol.FetchBroadcast;
import io.weft.network.protocol.FetchBroadcastResponse;
import io.weft.network.protocol.Messages;
import io.weft.network.rpc.TransportConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * An executor's {@link DriverEndpoint} on a cluster: each question is an ask over the
 * executor's authenticated control connection to the driver, answered by
 * {@link DriverEndpointHandler}.
 *
 * <p>Threading: called from task threads, which block until the answer or the request timeout
 * ({@code weft.network.timeout}). Failure handling: a closed connection, a timeout or an error
 * reply is an {@link UncheckedIOException} that fails the task (it is retried like any failed
 * task); an interrupt (a kill) is rethrown as such, with the interrupt flag set.
 */
public final class RemoteDriverEndpoint implements DriverEndpoint {
  private final TransportConnection driver;

  /** {@code driver}: the executor's control connection (not a pooled one it does not own). */
  public RemoteDriverEndpoint(TransportConnection driver) {
    this.driver = driver;
  }

  @Override
  public boolean canCommit(int stageId, int stageAttempt, int partition, int attemptNumber) {
    return await(driver.ask(new CanCommit(stageId, stageAttempt, partition, attemptNumber),
        CanCommitResponse.class), "commit permission").getAllowed();
  }

  @Override
  public byte[] fetchBroadcast(long id) {
    return Messages.bytes(await(driver.ask(new FetchBroadcast(id), FetchBroadcastResponse.class),
        "broadcast " + id).getValue());
  }

  private <T> T await(CompletableFuture<T> answer, String what) {
    try {
      return answer.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer.cancel(false);
      throw new IllegalStateException("interrupted while asking the driver for " + what, e);
    } catch (ExecutionException e) {
      throw new UncheckedIOException(new IOException(
          "cannot get " + what + " from the driver at " + driver.remoteAddress() + ": " + e.getCause(), e.getCause()));
    }
  }
}
