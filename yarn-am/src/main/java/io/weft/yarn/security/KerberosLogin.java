package io.weft.yarn.security;

import io.weft.WeftConf;
import io.weft.yarn.YarnOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * Who the client (or the ApplicationMaster, with a shipped keytab) is on a Kerberized cluster:
 * the keytab's principal when {@code weft.yarn.principal} and {@code weft.yarn.keytab} are set,
 * else the current user from the ticket cache. The keytab login is returned, not made the JVM's
 * login user, so an embedding program (a workflow server, a test with in-process services)
 * keeps its own identity; run the work inside {@code ugi.doAs}.
 */
public final class KerberosLogin {
  private KerberosLogin() {}

  /** The user to act as; with security off, the current user. */
  public static UserGroupInformation login(WeftConf conf) throws IOException {
    String principal = conf.get(YarnOptions.PRINCIPAL).trim();
    String keytab = conf.get(YarnOptions.KEYTAB).trim();
    if (principal.isEmpty() != keytab.isEmpty()) {
      throw new IllegalArgumentException(YarnOptions.PRINCIPAL.key() + " (--principal) and "
          + YarnOptions.KEYTAB.key() + " (--keytab) go together: set both or neither");
    }
    if (!UserGroupInformation.isSecurityEnabled()) {
      return UserGroupInformation.getCurrentUser();
    }
    if (!principal.isEmpty()) {
      if (!Files.isReadable(Path.of(keytab))) {
        throw new IllegalArgumentException("the keytab " + keytab + " (" + YarnOptions.KEYTAB.key()
            + ") does not exist or is not readable");
      }
      return UserGroupInformation.loginUserFromKeytabAndReturnUGI(principal, keytab);
    }
    UserGroupInformation current = UserGroupInformation.getCurrentUser();
    if (!current.hasKerberosCredentials() && current.getCredentials().numberOfTokens() == 0) {
      throw new IllegalArgumentException("Hadoop security is on (hadoop.security.authentication=kerberos) "
          + "but " + current.getUserName() + " has no Kerberos ticket: run kinit, or pass --principal and --keytab");
    }
    return current;
  }
}
