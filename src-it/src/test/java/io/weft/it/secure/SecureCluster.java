package io.weft.it.secure;

import io.weft.minicluster.EmbeddedCluster;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.minikdc.MiniKdc;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * A real KDC (Hadoop's {@link MiniKdc}) and an {@link EmbeddedCluster} whose HDFS and YARN
 * require Kerberos, in this JVM. One keytab holds the services' principal
 * ({@code weft/localhost}, used by the NameNode, DataNode, ResourceManager and NodeManager),
 * SPNEGO's {@code HTTP/localhost} and the submitting user's {@code client}.
 *
 * <p>Facts that shaped it (docs/HADOOP-NOTES.md): a secure DataNode wants privileged ports or SASL
 * on its data transfer; {@code ignore.secure.ports.for.testing} lets it run with neither, and SASL
 * is left off on purpose, because the NodeManager's container localizer reads HDFS with a plain
 * {@code new YarnConfiguration()} that would not know to speak it (block reads reset; NameNode
 * calls still need Kerberos or a delegation token, block reads a block token); services log in
 * through {@code SecurityUtil.login},
 * which replaces the JVM's login user, so the test's client logs in with
 * {@code loginUserFromKeytabAndReturnUGI} and never touches the login user.
 */
public final class SecureCluster implements AutoCloseable {
  public static final String SERVICE = "weft/localhost";
  public static final String CLIENT = "client";

  private final MiniKdc kdc;
  private final File keytab;
  private final EmbeddedCluster cluster;

  private SecureCluster(MiniKdc kdc, File keytab, EmbeddedCluster cluster) {
    this.kdc = kdc;
    this.keytab = keytab;
    this.cluster = cluster;
  }

  /**
   * Starts the KDC, then HDFS and {@code nodeManagers} NodeManagers (0: no YARN), all Kerberized.
   * {@code extra} settings go to the whole cluster; {@code yarn.*} ones also override the embedded
   * YARN's defaults.
   */
  public static SecureCluster start(Path dir, int nodeManagers, Map<String, String> extra) throws Exception {
    Properties kdcConf = MiniKdc.createConf();
    kdcConf.setProperty(MiniKdc.DEBUG, "false");
    MiniKdc kdc = new MiniKdc(kdcConf, Files.createDirectories(dir.resolve("kdc")).toFile());
    kdc.start();
    File keytab = dir.resolve("weft.keytab").toFile();
    try {
      kdc.createPrincipal(keytab, SERVICE, "HTTP/localhost", CLIENT);
      Map<String, String> settings = settings(kdc.getRealm(), keytab.getAbsolutePath());
      settings.putAll(extra);
      Configuration conf = new Configuration();
      settings.forEach(conf::set);
      UserGroupInformation.setConfiguration(conf);
      EmbeddedCluster.Builder b = EmbeddedCluster.builder().nodeManagers(nodeManagers).baseDir(dir.resolve("cluster"));
      settings.forEach(b::hadoopSetting);
      // YARN's own defaults (minicluster YarnSettings) come after the cluster-wide settings
      extra.forEach((k, v) -> {
        if (k.startsWith("yarn.") && nodeManagers > 0) {
          b.yarnSetting(k, v);
        }
      });
      EmbeddedCluster cluster = b.build();
      cluster.start();
      return new SecureCluster(kdc, keytab, cluster);
    } catch (Exception | Error e) {
      kdc.stop();
      throw e;
    }
  }

  static Map<String, String> settings(String realm, String keytab) {
    String service = SERVICE + "@" + realm;
    String http = "HTTP/localhost@" + realm;
    Map<String, String> s = new LinkedHashMap<>();
    s.put("hadoop.security.authentication", "kerberos");
    s.put("hadoop.security.authorization", "false");
    s.put("dfs.namenode.kerberos.principal", service);
    s.put("dfs.namenode.keytab.file", keytab);
    s.put("dfs.datanode.kerberos.principal", service);
    s.put("dfs.datanode.keytab.file", keytab);
    s.put("dfs.web.authentication.kerberos.principal", http);
    s.put("dfs.web.authentication.kerberos.keytab", keytab);
    s.put("dfs.block.access.token.enable", "true");
    s.put("ignore.secure.ports.for.testing", "true");
    s.put("yarn.resourcemanager.principal", service);
    s.put("yarn.resourcemanager.keytab", keytab);
    s.put("yarn.nodemanager.principal", service);
    s.put("yarn.nodemanager.keytab", keytab);
    s.put("yarn.resourcemanager.webapp.spnego-principal", http);
    s.put("yarn.resourcemanager.webapp.spnego-keytab-file", keytab);
    s.put("yarn.nodemanager.webapp.spnego-principal", http);
    s.put("yarn.nodemanager.webapp.spnego-keytab-file", keytab);
    // the services' own principal maps to the OS user that runs them and the containers
    s.put("hadoop.security.auth_to_local", "RULE:[2:$1@$0](weft@.*)s/.*/" + System.getProperty("user.name")
        + "/\nRULE:[1:$1@$0](client@.*)s/.*/" + System.getProperty("user.name") + "/\nDEFAULT");
    return s;
  }

  public EmbeddedCluster cluster() {
    return cluster;
  }

  public String realm() {
    return kdc.getRealm();
  }

  public String clientPrincipal() {
    return CLIENT + "@" + kdc.getRealm();
  }

  /**
   * The KDC's krb5.conf. MiniKdc points only this JVM at it (a system property); containers
   * need {@code -Djava.security.krb5.conf} too, or UGI fails with "Can't get Kerberos realm".
   */
  public File krb5Conf() {
    return kdc.getKrb5conf();
  }

  /** Weft settings that let the AM and executor JVMs find the KDC (a real host has /etc/krb5.conf). */
  public Map<String, String> containerKerberosSettings() {
    String opt = "-Djava.security.krb5.conf=" + krb5Conf().getAbsolutePath();
    return Map.of("weft.am.extraJavaOptions", opt, "weft.executor.extraJavaOptions", opt);
  }

  public File keytab() {
    return keytab;
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } finally {
      kdc.stop();
    }
  }
}
