package io.weft.network.rpc;

/**
 * What an application does with the messages that arrive on an authenticated connection: the
 * driver handles executors' registrations, statuses and questions; an executor handles the
 * driver's launch and kill orders; a block server answers block fetches.
 *
 * <p>Threading: both methods are called on the connection's Netty event loop thread. They must
 * not block (no disk scans, no waiting on locks held by slow code, no {@code ask(...).get()}):
 * post the work to your own thread and answer later through the {@link ReplyChannel}, which may
 * be used from any thread. An exception thrown here becomes an error reply (when the message
 * expected one) and is logged; the connection stays open.
 */
public interface RpcHandler {
  /**
   * One message from the peer. {@code reply.expectsReply()} says whether the peer asked (and
   * waits for exactly one reply or error) or only sent.
   */
  void receive(Object message, ReplyChannel reply);

  /** The connection closed (either side, or a network failure); its pending asks have failed. */
  default void connectionClosed(TransportConnection connection) {}

  /** A handler for connections that expect no requests: every ask is answered with an error. */
  RpcHandler REJECT_ALL = (message, reply) -> reply.replyError(
      "this endpoint accepts no requests (got " + message.getClass().getSimpleName() + ")");
}
