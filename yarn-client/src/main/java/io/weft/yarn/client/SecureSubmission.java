package io.weft.yarn.client;

import io.weft.WeftConf;
import io.weft.yarn.AppSecret;
import io.weft.yarn.YarnConstants;
import io.weft.yarn.YarnOptions;
import io.weft.yarn.security.DelegationTokens;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The submission's security steps, called by {@link YarnSubmitter} inside the submitting user's
 * login ({@code KerberosLogin}): the ApplicationMaster's credentials (delegation tokens and the
 * application secret) and, with {@code weft.yarn.keytab}, the keytab as a private resource of the
 * ApplicationMaster alone. Stateless.
 */
final class SecureSubmission {
  private static final Logger LOG = LoggerFactory.getLogger(SecureSubmission.class);

  private SecureSubmission() {}

  /**
   * The caller's own tokens (an Oozie launcher's, say), every provider's delegation tokens when
   * Hadoop security is on (renewer: the ResourceManager), and the application secret, which goes
   * nowhere else.
   */
  static Credentials amCredentials(Configuration hadoopConf, WeftConf conf, byte[] secret) throws IOException {
    Credentials creds = new Credentials(UserGroupInformation.getCurrentUser().getCredentials());
    if (UserGroupInformation.isSecurityEnabled()) {
      Credentials obtained = DelegationTokens.obtain(hadoopConf, conf).credentials();
      creds.addAll(obtained);
      LOG.info("Shipping {} delegation token(s) to the ApplicationMaster", obtained.numberOfTokens());
    }
    AppSecret.addTo(creds, secret);
    return creds;
  }

  /**
   * Uploads the keytab (owner read-only, in the owner-only staging directory) as the AM's
   * {@value YarnConstants#KEYTAB_FILE}, and makes the shipped settings name that file rather than
   * the user's path.
   */
  static void stageKeytab(WeftConf conf, StagingArea area, Configuration hadoopConf,
      Map<String, LocalResource> amResources, Properties props) throws IOException {
    String keytab = conf.get(YarnOptions.KEYTAB).trim();
    if (keytab.isEmpty()) {
      return;
    }
    LocalResource r = area.upload(Path.of(keytab), YarnConstants.KEYTAB_FILE, LocalResourceType.FILE);
    org.apache.hadoop.fs.Path staged = new org.apache.hadoop.fs.Path(area.dir(), YarnConstants.KEYTAB_FILE);
    FileSystem fs = staged.getFileSystem(hadoopConf);
    fs.setPermission(staged, new FsPermission((short) 0400));
    amResources.put(YarnConstants.KEYTAB_FILE, StagingArea.descriptor(fs, staged, LocalResourceType.FILE,
        r.getVisibility()));
    props.setProperty(YarnOptions.KEYTAB.key(), YarnConstants.KEYTAB_FILE);
  }
}
