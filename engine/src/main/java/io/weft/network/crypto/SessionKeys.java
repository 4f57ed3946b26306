package io.weft.network.crypto;

import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two AES-256 keys of one authenticated connection, one per direction, derived from the
 * handshake with HKDF-SHA256 (RFC 5869): {@code PRK = HMAC(salt = Ns | Nc, secret)}, then
 * {@code key = HMAC(PRK, label | 0x01)} with labels {@code weft-c2s-v1} (client to server) and
 * {@code weft-s2c-v1}. Both nonces are fresh per connection, so every connection and direction
 * has its own key, and a per-direction record counter can serve as the GCM nonce.
 *
 * <p>The auth handlers attach the keys to the channel ({@link #ATTRIBUTE}) when the peer's proof
 * checked out; {@code TransportPipeline} reads them when {@code weft.network.crypto.enabled}.
 */
public record SessionKeys(byte[] sendKey, byte[] receiveKey) {
  public static final AttributeKey<SessionKeys> ATTRIBUTE = AttributeKey.valueOf("weft.sessionKeys");
  private static final byte[] C2S = "weft-c2s-v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] S2C = "weft-s2c-v1".getBytes(StandardCharsets.US_ASCII);

  /** Keys as seen by the client ({@code client}) or the server of the handshake. */
  public static SessionKeys derive(byte[] secret, byte[] serverNonce, byte[] clientNonce, boolean client) {
    byte[] salt = new byte[serverNonce.length + clientNonce.length];
    System.arraycopy(serverNonce, 0, salt, 0, serverNonce.length);
    System.arraycopy(clientNonce, 0, salt, serverNonce.length, clientNonce.length);
    byte[] prk = hmac(salt, secret);
    byte[] c2s = expand(prk, C2S);
    byte[] s2c = expand(prk, S2C);
    return client ? new SessionKeys(c2s, s2c) : new SessionKeys(s2c, c2s);
  }

  /** HKDF-Expand for one 32-byte block: {@code T(1) = HMAC(PRK, info | 0x01)}. */
  private static byte[] expand(byte[] prk, byte[] info) {
    byte[] input = new byte[info.length + 1];
    System.arraycopy(info, 0, input, 0, info.length);
    input[info.length] = 1;
    return hmac(prk, input);
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e); // mandatory in every JRE
    }
  }

  @Override
  public String toString() {
    return "SessionKeys[redacted]"; // a record would print the key bytes
  }
}
