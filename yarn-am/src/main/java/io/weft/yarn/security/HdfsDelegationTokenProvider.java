package io.weft.yarn.security;

import io.weft.WeftConf;
import io.weft.yarn.YarnOptions;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.delegation.AbstractDelegationTokenIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokens for the default file system and every file system in
 * {@code weft.yarn.access.hadoopFileSystems} (HDFS, or any Hadoop file system that issues
 * delegation tokens; one that issues none, like {@code file:}, is skipped by Hadoop).
 *
 * <p>The expiry it reports: a delegation token does not say when it expires unless renewed, only
 * when it was issued; the renew interval is the NameNode's. So the provider obtains a second set
 * with the current user as renewer and renews it once: the answer is the expiry, and
 * {@code issue + (expiry - issue)} for the real tokens. This costs one more token per file
 * system and happens only when the expiry matters (a keytab was given).
 */
public final class HdfsDelegationTokenProvider implements DelegationTokenProvider {
  private static final Logger LOG = LoggerFactory.getLogger(HdfsDelegationTokenProvider.class);

  @Override
  public String serviceName() {
    return "hdfs";
  }

  /** The default file system first, then the listed ones, without duplicates. */
  public static Set<URI> fileSystems(Configuration hadoopConf, WeftConf conf) {
    Set<URI> uris = new LinkedHashSet<>();
    uris.add(FileSystem.getDefaultUri(hadoopConf));
    for (String s : conf.get(YarnOptions.ACCESS_FILE_SYSTEMS).split(",")) {
      if (!s.isBlank()) {
        uris.add(URI.create(s.trim()));
      }
    }
    return uris;
  }

  @Override
  public OptionalLong obtainTokens(Configuration hadoopConf, WeftConf conf, String renewer, Credentials creds)
      throws IOException {
    OptionalLong expiry = OptionalLong.empty();
    boolean wantExpiry = !conf.get(YarnOptions.KEYTAB).isEmpty();
    for (URI uri : fileSystems(hadoopConf, conf)) {
      FileSystem fs;
      Token<?>[] tokens;
      try {
        fs = FileSystem.get(uri, hadoopConf);
        tokens = fs.addDelegationTokens(renewer, creds);
      } catch (IOException e) {
        throw new IOException("cannot obtain a delegation token from " + uri + " (" + e.getMessage() + ")", e);
      }
      LOG.info("Obtained {} delegation token(s) for {} (renewer {})", tokens.length, uri, renewer);
      if (wantExpiry) {
        expiry = earliest(expiry, expiry(fs, hadoopConf));
      }
    }
    return expiry;
  }

  /** When tokens of {@code fs} issued now expire unless renewed (see the class doc). */
  private static OptionalLong expiry(FileSystem fs, Configuration hadoopConf) throws IOException {
    String self = UserGroupInformation.getCurrentUser().getUserName();
    Token<?>[] probes = fs.addDelegationTokens(self, new Credentials());
    OptionalLong earliest = OptionalLong.empty();
    for (Token<?> t : probes) {
      try {
        long renewedUntil = t.renew(hadoopConf);
        if (t.decodeIdentifier() instanceof AbstractDelegationTokenIdentifier id) {
          long interval = renewedUntil - id.getIssueDate();
          earliest = earliest(earliest, OptionalLong.of(System.currentTimeMillis() + interval));
        }
        t.cancel(hadoopConf);
      } catch (IOException | InterruptedException | RuntimeException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        LOG.warn("Cannot tell when tokens of {} expire ({}); they will not be refreshed early", fs.getUri(),
            e.toString());
      }
    }
    return earliest;
  }

  static OptionalLong earliest(OptionalLong a, OptionalLong b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() ? a : OptionalLong.of(Math.min(a.getAsLong(), b.getAsLong()));
  }
}
