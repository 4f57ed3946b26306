package io.weft.io;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.security.AccessControlException;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * Prepares a Hadoop {@link Job} that lists inputs or checks an output on a Kerberized cluster,
 * where the driver (in the ApplicationMaster) and the executors hold delegation tokens instead of
 * a Kerberos ticket.
 *
 * <ul>
 *   <li>Every file system a path names must have a token in this process's credentials, else
 *       the job fails at once with a message naming the file system and the setting that adds
 *       it ({@code weft.yarn.access.hadoopFileSystems}), rather than with the RPC layer's "Client
 *       cannot authenticate via:[TOKEN, KERBEROS]" from deep inside a listing.
 *   <li>The process's tokens go into the job's credentials: {@code FileInputFormat} and
 *       {@code FileOutputFormat} ask MapReduce's {@code TokenCache} for a token per file system,
 *       which would otherwise try to get new ones from the NameNode (refused to a token-
 *       authenticated caller) and want a "master principal" as their renewer.
 * </ul>
 *
 * <p>A process that has a Kerberos ticket (the client, local mode on an edge node) is left
 * alone: Hadoop obtains what it needs. With security off this does nothing. Stateless.
 */
public final class SecureFileSystems {
  /** The setting that makes the client obtain tokens for more file systems (yarn-am owns it). */
  static final String ACCESS_KEY = "weft.yarn.access.hadoopFileSystems";
  /** MapReduce's renewer for new tokens when mapreduce.framework.name is not yarn. */
  private static final String MR_MASTER_PRINCIPAL = "mapreduce.jobtracker.kerberos.principal";

  private SecureFileSystems() {}

  /** Checks tokens for {@code paths} and lends the process's tokens to {@code job}. */
  public static void prepare(Job job, Iterable<Path> paths, String what) throws IOException {
    if (!UserGroupInformation.isSecurityEnabled()) {
      return;
    }
    UserGroupInformation user = UserGroupInformation.getCurrentUser();
    if (user.hasKerberosCredentials()) {
      return;
    }
    checkTokens(job.getConfiguration(), paths, what, user);
    job.getCredentials().addAll(user.getCredentials());
    Configuration c = job.getConfiguration();
    if (c.get("yarn.resourcemanager.principal") != null && c.get(MR_MASTER_PRINCIPAL) == null) {
      // the tokens are there, so none is fetched; TokenCache still insists on naming a renewer
      c.set(MR_MASTER_PRINCIPAL, c.get("yarn.resourcemanager.principal"));
    }
  }

  /** Throws naming the first file system among {@code paths} that has no token in {@code user}'s credentials. */
  static void checkTokens(Configuration conf, Iterable<Path> paths, String what, UserGroupInformation user)
      throws IOException {
    Set<String> checked = new LinkedHashSet<>();
    for (Path p : paths) {
      FileSystem fs = p.getFileSystem(conf);
      String service = fs.getCanonicalServiceName();
      if (service == null || !checked.add(service)) {
        continue; // a file system that issues no tokens (file:, most object stores' own auth)
      }
      if (user.getCredentials().getToken(new Text(service)) == null) {
        throw new AccessControlException("No delegation token for file system " + fs.getUri()
            + " (token service " + service + "), needed for " + what + ", in the credentials of "
            + user.getUserName() + ". On a Kerberized cluster the client obtains tokens for the default "
            + "file system and those in " + ACCESS_KEY + ": add " + fs.getUri() + " there.");
      }
    }
  }
}
