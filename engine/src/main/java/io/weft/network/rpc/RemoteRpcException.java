package io.weft.network.rpc;

/** The peer answered a request with an error; the message is the peer's description. */
public final class RemoteRpcException extends RuntimeException {
  public RemoteRpcException(String message) {
    super(message);
  }
}
