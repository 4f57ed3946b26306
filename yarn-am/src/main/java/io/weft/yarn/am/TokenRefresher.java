package io.weft.yarn.am;

import io.weft.WeftConf;
import io.weft.yarn.YarnOptions;
import io.weft.yarn.security.DelegationTokens;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a long application's delegation tokens fresh when it was submitted with a keytab: logs
 * in from the keytab the client shipped to this ApplicationMaster only, obtains a new set from
 * every provider right away (which also tells when they expire), and again at
 * {@value #REFRESH_RATIO} of each set's remaining lifetime. Each new set is added to the AM's own
 * user, to the credentials given to executor containers launched from now on, and handed to
 * {@code pushed} (the YARN backend sends it to the running executors over their authenticated
 * control connections).
 *
 * <p>Without a keytab nothing runs here: YARN renews the submitted tokens until their maximum
 * lifetime (7 days by default) and an application cannot outlive that.
 *
 * <p>Threading: one daemon thread does every refresh; {@code pushed} is called on it. Failure: a
 * failed refresh is logged and retried after {@link #RETRY_MS} (the old tokens are still valid
 * for a quarter of their lifetime).
 */
final class TokenRefresher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TokenRefresher.class);
  static final double REFRESH_RATIO = 0.75;
  static final long RETRY_MS = 60_000;
  /** Never refresh more often than this, whatever a (test's) token lifetime says. */
  static final long MIN_DELAY_MS = 1_000;

  private final Configuration hadoopConf;
  private final WeftConf conf;
  private final Credentials forExecutors;
  private final Consumer<byte[]> pushed;
  private final UserGroupInformation keytabUser;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "weft-token-refresher");
    t.setDaemon(true);
    return t;
  });

  private TokenRefresher(Configuration hadoopConf, WeftConf conf, Credentials forExecutors,
      Consumer<byte[]> pushed, UserGroupInformation keytabUser) {
    this.hadoopConf = hadoopConf;
    this.conf = conf;
    this.forExecutors = forExecutors;
    this.pushed = pushed;
    this.keytabUser = keytabUser;
  }

  /**
   * A started refresher when security is on and the application was submitted with a keytab
   * (found in {@code workDir}), else null.
   */
  static TokenRefresher startIfKeytab(Configuration hadoopConf, WeftConf conf, Credentials forExecutors,
      Path workDir, Consumer<byte[]> pushed) throws IOException {
    String principal = conf.get(YarnOptions.PRINCIPAL).trim();
    String keytab = conf.get(YarnOptions.KEYTAB).trim();
    if (!UserGroupInformation.isSecurityEnabled() || principal.isEmpty() || keytab.isEmpty()) {
      return null;
    }
    UserGroupInformation user = UserGroupInformation.loginUserFromKeytabAndReturnUGI(principal,
        workDir.resolve(keytab).toString());
    LOG.info("Logged in from the shipped keytab as {}; delegation tokens will be refreshed", principal);
    TokenRefresher r = new TokenRefresher(hadoopConf, conf, forExecutors, pushed, user);
    r.thread.execute(r::refresh);
    return r;
  }

  /** When to refresh next: {@value #REFRESH_RATIO} of the time left, at least {@link #MIN_DELAY_MS}. */
  static long delayMs(long nowMs, OptionalLong expiryMs) {
    if (expiryMs.isEmpty()) {
      return -1;
    }
    return Math.max(MIN_DELAY_MS, (long) ((expiryMs.getAsLong() - nowMs) * REFRESH_RATIO));
  }

  private void refresh() {
    long next;
    try {
      keytabUser.checkTGTAndReloginFromKeytab();
      DelegationTokens.Obtained fresh = keytabUser.doAs(
          (PrivilegedExceptionAction<DelegationTokens.Obtained>) () -> DelegationTokens.obtain(hadoopConf, conf));
      synchronized (forExecutors) {
        forExecutors.addAll(fresh.credentials());
      }
      UserGroupInformation.getCurrentUser().addCredentials(fresh.credentials());
      pushed.accept(DelegationTokens.toBytes(fresh.credentials()));
      next = delayMs(System.currentTimeMillis(), fresh.expiry());
      LOG.info("Refreshed {} delegation token(s); next refresh in {} ms", fresh.credentials().numberOfTokens(),
          next < 0 ? "(never: no expiry known)" : next);
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        return;
      }
      LOG.warn("Refreshing delegation tokens failed; retrying in {} ms: {}", RETRY_MS, e.toString());
      next = RETRY_MS;
    }
    if (next >= 0 && !thread.isShutdown()) {
      thread.schedule(this::refresh, next, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
