package io.weft.network.auth;

import java.io.IOException;

/**
 * A connection failed the handshake: the peer does not know the application secret, is not a
 * Weft peer, or did not finish in time. Never carries the secret or the proofs.
 */
public final class AuthenticationException extends IOException {
  public AuthenticationException(String message) {
    super(message);
  }
}
