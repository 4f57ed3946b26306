package io.weft.network.endpoint;

import io.weft.executor.DriverEndpoint;
import io.weft.network.protocol.CanCommit;
import io.weft.network.protocol.CanCommitResponse;
import io.weft.network.protocol.FetchBroadcast;
import io.weft.network.protocol.FetchBroadcastResponse;
import io.weft.network.rpc.ReplyChannel;
import io.weft.network.rpc.RpcHandler;
import io.weft.network.rpc.TransportConnection;
import java.nio.ByteBuffer;

/**
 * The driver's side of {@link RemoteDriverEndpoint}: answers executors' {@link CanCommit} and
 * {@link FetchBroadcast} from the driver's {@link DriverEndpoint} and passes every other message
 * (registrations, task statuses, heartbeats) to {@code delegate}, the cluster backend's handler.
 *
 * <p>Threading: runs on Netty threads and calls {@code endpoint} inline, which is right for
 * {@code io.weft.driver.DriverServices} (a short synchronized map update, a map lookup); an
 * endpoint that may block must not be passed here. A failure (an unknown broadcast) becomes an
 * error reply, which fails the asking task.
 */
public final class DriverEndpointHandler implements RpcHandler {
  private final DriverEndpoint endpoint;
  private final RpcHandler delegate;

  public DriverEndpointHandler(DriverEndpoint endpoint, RpcHandler delegate) {
    this.endpoint = endpoint;
    this.delegate = delegate;
  }

  @Override
  public void receive(Object message, ReplyChannel reply) {
    if (message instanceof CanCommit c) {
      reply.reply(new CanCommitResponse(endpoint.canCommit(c.getStageId(), c.getStageAttempt(),
          c.getPartition(), c.getAttemptNumber())));
    } else if (message instanceof FetchBroadcast b) {
      reply.reply(new FetchBroadcastResponse(ByteBuffer.wrap(endpoint.fetchBroadcast(b.getBroadcastId()))));
    } else {
      delegate.receive(message, reply);
    }
  }

  @Override
  public void connectionClosed(TransportConnection connection) {
    delegate.connectionClosed(connection);
  }
}
