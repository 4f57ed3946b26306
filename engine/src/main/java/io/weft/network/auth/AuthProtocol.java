package io.weft.network.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The mutual challenge–response both ends run before anything else crosses a connection. Three
 * fixed-size raw frames, no length fields and no deserialization:
 *
 * <pre>
 * server → client  SERVER_HELLO   = MAGIC(4) | FLAGS(1) | Ns(32)
 * client → server  CLIENT_PROOF   = MAGIC(4) | FLAGS(1) | Nc(32) | HMAC(secret, "weft-client-v2" | Ns | Nc)(32)
 * server → client  SERVER_PROOF   = HMAC(secret, "weft-server-v2" | Ns | Nc)(32)
 * </pre>
 *
 * <p>{@code FLAGS} says how the sender is configured ({@link #CRYPTO_FLAG}: it encrypts after the
 * handshake), so two ends that differ in {@code weft.network.crypto.enabled} fail with a message
 * naming the setting instead of garbling each other's first frame. Each end encrypts (or not) by
 * its own setting, never by the peer's flag, so a flipped flag cannot turn encryption off; it
 * is not covered by the proofs.
 *
 * <p>Both nonces are fresh per connection, so a recorded proof is worthless on another one; the
 * direction labels differ, so a proof cannot be reflected back at its sender. Proofs are
 * compared with {@link MessageDigest#isEqual} (constant time).
 *
 * <p>Stateless and thread-safe; a {@link Mac} is created per computation.
 */
public final class AuthProtocol {
  /** "WFT" and the handshake version: lets a peer reject a stranger after four bytes. */
  public static final byte[] MAGIC = {'W', 'F', 'T', 2};
  /** {@code FLAGS} bit: the sender has {@code weft.network.crypto.enabled}. */
  public static final byte CRYPTO_FLAG = 1;
  public static final int FLAGS_LENGTH = 1;
  public static final int NONCE_LENGTH = 32;
  public static final int MAC_LENGTH = 32;
  public static final int SERVER_HELLO_LENGTH = MAGIC.length + FLAGS_LENGTH + NONCE_LENGTH;
  public static final int CLIENT_PROOF_LENGTH = MAGIC.length + FLAGS_LENGTH + NONCE_LENGTH + MAC_LENGTH;
  public static final int SERVER_PROOF_LENGTH = MAC_LENGTH;
  /** Secrets shorter than this are refused at construction: too easy to guess. */
  public static final int MIN_SECRET_LENGTH = 16;

  private static final byte[] CLIENT_LABEL = "weft-client-v2".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SERVER_LABEL = "weft-server-v2".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private AuthProtocol() {}

  /** Checks a secret once, where it enters the transport, so a bad one fails early and clearly. */
  public static byte[] checkSecret(byte[] secret) {
    if (secret == null || secret.length < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException("the application secret must have at least "
          + MIN_SECRET_LENGTH + " bytes");
    }
    return secret.clone();
  }

  /** The {@code FLAGS} byte of an end with crypto {@code on} or off. */
  public static byte flags(boolean crypto) {
    return crypto ? CRYPTO_FLAG : 0;
  }

  /**
   * Null when the peer's {@code FLAGS} agree with this end's setting, else why not, naming the
   * setting and both values ({@code peer} is "the server at host:port" or "the client at ...").
   */
  public static String mismatch(boolean crypto, byte peerFlags, String peer) {
    boolean peerCrypto = (peerFlags & CRYPTO_FLAG) != 0;
    if (peerCrypto == crypto) {
      return null;
    }
    return peer + " has weft.network.crypto.enabled=" + peerCrypto + " but this process has " + crypto
        + ": every driver and executor of an application must agree (set it at submission, with --conf)";
  }

  public static byte[] newNonce() {
    byte[] nonce = new byte[NONCE_LENGTH];
    RANDOM.nextBytes(nonce);
    return nonce;
  }

  /** The client's proof that it knows {@code secret}, bound to both nonces. */
  public static byte[] clientProof(byte[] secret, byte[] serverNonce, byte[] clientNonce) {
    return hmac(secret, CLIENT_LABEL, serverNonce, clientNonce);
  }

  /** The server's proof that it knows {@code secret}, bound to both nonces. */
  public static byte[] serverProof(byte[] secret, byte[] serverNonce, byte[] clientNonce) {
    return hmac(secret, SERVER_LABEL, serverNonce, clientNonce);
  }

  /** Constant-time comparison, so timing does not reveal how much of a forged proof was right. */
  public static boolean matches(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }

  public static boolean isMagic(byte[] four) {
    return MessageDigest.isEqual(MAGIC, four);
  }

  private static byte[] hmac(byte[] secret, byte[] label, byte[] serverNonce, byte[] clientNonce) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(label);
      mac.update(serverNonce);
      mac.update(clientNonce);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      // HmacSHA256 is mandatory in every JRE: this cannot happen on a working JVM
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
