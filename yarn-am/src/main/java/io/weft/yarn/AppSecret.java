package io.weft.yarn;

import java.security.SecureRandom;
import org.apache.hadoop.security.Credentials;

/**
 * The application secret every Weft connection proves knowledge of. The client makes it at
 * submission ({@link #generate}) and puts it into the ApplicationMaster's launch
 * {@link Credentials} under {@link YarnConstants#SECRET_KEY}; YARN hands those credentials to the
 * container, where {@link #readFrom} finds it in the current user's credentials.
 *
 * <p>It is never written anywhere else: not on a command line, into the environment or a log.
 * Stateless and thread-safe. Failure: {@link #readFrom} throws when the secret is missing, since
 * a Weft process without it could not authenticate anything.
 */
public final class AppSecret {
  private AppSecret() {}

  /** {@value YarnConstants#SECRET_BYTES} random bytes from {@code random}. */
  public static byte[] generate(SecureRandom random) {
    byte[] secret = new byte[YarnConstants.SECRET_BYTES];
    random.nextBytes(secret);
    return secret;
  }

  /** Adds {@code secret} to {@code credentials} under the shared key. */
  public static void addTo(Credentials credentials, byte[] secret) {
    credentials.addSecretKey(YarnConstants.SECRET_KEY, secret.clone());
  }

  /** The secret in {@code credentials}; throws if it is not there. */
  public static byte[] readFrom(Credentials credentials) {
    byte[] secret = credentials.getSecretKey(YarnConstants.SECRET_KEY);
    if (secret == null || secret.length == 0) {
      throw new IllegalStateException("The application secret (" + YarnConstants.SECRET_KEY
          + ") is missing from this container's credentials; was it submitted by weft submit?");
    }
    return secret.clone();
  }
}
