package io.weft.yarn.security;

import io.weft.WeftConf;
import io.weft.yarn.YarnOptions;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.DataOutputBuffer;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.yarn.client.util.YarnClientUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Obtains an application's delegation tokens from every {@link DelegationTokenProvider} on the
 * class path, and moves credentials to and from bytes (for the container launch context and the
 * transport's {@code UpdateCredentials}). Stateless; called by the client at submission and by
 * the ApplicationMaster's refresher.
 */
public final class DelegationTokens {
  private static final Logger LOG = LoggerFactory.getLogger(DelegationTokens.class);

  private DelegationTokens() {}

  /** Fresh tokens and when the first of them expires (if any provider could tell). */
  public record Obtained(Credentials credentials, OptionalLong expiry) {}

  /** The providers found by ServiceLoader, the built-in HDFS one first. */
  public static List<DelegationTokenProvider> providers() {
    List<DelegationTokenProvider> found = new ArrayList<>();
    found.add(new HdfsDelegationTokenProvider());
    for (DelegationTokenProvider p : ServiceLoader.load(DelegationTokenProvider.class,
        DelegationTokens.class.getClassLoader())) {
      if (!(p instanceof HdfsDelegationTokenProvider)) {
        found.add(p);
      }
    }
    return found;
  }

  /**
   * Tokens of every provider that says the application needs them, with the ResourceManager's
   * principal as renewer. Call inside the Kerberos login that should own the tokens.
   */
  public static Obtained obtain(Configuration hadoopConf, WeftConf conf) throws IOException {
    Credentials creds = new Credentials();
    OptionalLong expiry = OptionalLong.empty();
    if (!conf.get(YarnOptions.SECURITY_TOKENS_ENABLED)) {
      LOG.info("Not obtaining delegation tokens ({}=false)", YarnOptions.SECURITY_TOKENS_ENABLED.key());
      return new Obtained(creds, expiry);
    }
    String renewer = renewer(hadoopConf);
    for (DelegationTokenProvider p : providers()) {
      if (p.tokensRequired(hadoopConf, conf)) {
        expiry = HdfsDelegationTokenProvider.earliest(expiry, p.obtainTokens(hadoopConf, conf, renewer, creds));
      }
    }
    return new Obtained(creds, expiry);
  }

  /** The ResourceManager's principal: YARN renews the tokens while the application runs. */
  static String renewer(Configuration hadoopConf) throws IOException {
    String rm = YarnClientUtils.getRmPrincipal(hadoopConf);
    if (rm == null || rm.isEmpty()) {
      throw new IOException("Hadoop security is on but yarn.resourcemanager.principal is not set: "
          + "the ResourceManager must be the renewer of the application's delegation tokens");
    }
    return rm;
  }

  /** {@code creds} in Hadoop's token-storage format. */
  public static byte[] toBytes(Credentials creds) {
    try (DataOutputBuffer out = new DataOutputBuffer()) {
      creds.writeTokenStorageToStream(out);
      return java.util.Arrays.copyOf(out.getData(), out.getLength());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory
    }
  }

  /** The inverse of {@link #toBytes}. */
  public static Credentials fromBytes(byte[] bytes) throws IOException {
    Credentials creds = new Credentials();
    creds.readTokenStorageStream(new DataInputStream(new ByteArrayInputStream(bytes)));
    return creds;
  }
}
