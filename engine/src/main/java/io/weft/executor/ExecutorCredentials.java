package io.weft.executor;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds delegation tokens the driver pushed (the ApplicationMaster refreshes them with its keytab
 * before the old ones expire) to this executor process's user, so its Hadoop clients use them
 * from the next connection on. A token with the same service replaces the old one. Logs the
 * tokens' kinds and services, never their bytes. Thread-safe (UGI synchronizes).
 */
public final class ExecutorCredentials {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorCredentials.class);

  private ExecutorCredentials() {}

  /** Reads Hadoop token-storage bytes and adds them; returns how many tokens there were. */
  public static int add(byte[] tokenStorage) throws IOException {
    Credentials creds = new Credentials();
    creds.readTokenStorageStream(new DataInputStream(new ByteArrayInputStream(tokenStorage)));
    UserGroupInformation.getCurrentUser().addCredentials(creds);
    StringBuilder what = new StringBuilder();
    creds.getAllTokens().forEach(t -> what.append(' ').append(t.getKind()).append('@').append(t.getService()));
    LOG.info("Added {} delegation tokens from the driver:{}", creds.numberOfTokens(), what);
    return creds.numberOfTokens();
  }
}
