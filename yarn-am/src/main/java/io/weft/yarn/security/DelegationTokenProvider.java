package io.weft.yarn.security;

import io.weft.WeftConf;
import java.io.IOException;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.Credentials;

/**
 * Obtains delegation tokens for one kind of service (HDFS, HBase, a Hive metastore...) so that an
 * application's ApplicationMaster and executors, which hold no Kerberos credentials, can use it
 * on a Kerberized cluster. Implementations are found with {@link java.util.ServiceLoader}
 * (list the class in {@code META-INF/services/io.weft.yarn.security.DelegationTokenProvider});
 * {@link HdfsDelegationTokenProvider} is built in.
 *
 * <p>Callers: the client at submission ({@code YarnSubmitter}, inside the submitting user's
 * Kerberos login), and the ApplicationMaster's {@code TokenRefresher} when the application was
 * submitted with a keytab (inside the keytab's login, on its refresh thread). Neither calls a
 * provider concurrently with itself. Only called when Hadoop security is on.
 *
 * <p>Failure: an {@link IOException} fails the submission (client) or is logged and retried at
 * the next refresh (AM); it must name the service it could not reach.
 */
public interface DelegationTokenProvider {
  /** A short name for logs and the {@code weft.yarn.security.<name>.enabled} switch ("hdfs"). */
  String serviceName();

  /**
   * Whether this application needs tokens from this service at all (a Hive provider would say
   * no when no metastore is configured). Called before {@link #obtainTokens}.
   */
  default boolean tokensRequired(Configuration hadoopConf, WeftConf conf) {
    return true;
  }

  /**
   * Adds tokens for this service to {@code creds}, with {@code renewer} (the ResourceManager's
   * principal, so YARN renews them while the application runs) as their renewer.
   *
   * @return when the earliest of the obtained tokens expires unless renewed (epoch ms), if the
   *     provider can tell; the ApplicationMaster obtains fresh tokens at 75% of that time
   */
  OptionalLong obtainTokens(Configuration hadoopConf, WeftConf conf, String renewer, Credentials creds)
      throws IOException;
}
