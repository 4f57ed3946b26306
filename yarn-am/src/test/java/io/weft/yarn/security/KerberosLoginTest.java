package io.weft.yarn.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.junit.jupiter.api.Test;

/** The security pieces that need no KDC (KerberosYarnIT runs them against a real one). */
class KerberosLoginTest {
  @Test
  void aPrincipalWithoutAKeytabIsRefusedNamingBothSettings() {
    WeftConf conf = new WeftConf(false).set("weft.yarn.principal", "alice@EXAMPLE.COM");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerberosLogin.login(conf));
    assertTrue(e.getMessage().contains("weft.yarn.principal") && e.getMessage().contains("weft.yarn.keytab"),
        e.getMessage());
  }

  @Test
  void withSecurityOffTheCurrentUserIsUsed() throws Exception {
    assertEquals(UserGroupInformation.getCurrentUser(), KerberosLogin.login(new WeftConf(false)));
  }

  @Test
  void theDefaultFileSystemComesFirstThenTheListedOnesOnce() {
    Configuration hadoop = new Configuration(false);
    hadoop.set("fs.defaultFS", "hdfs://nn1:8020");
    WeftConf conf = new WeftConf(false).set("weft.yarn.access.hadoopFileSystems",
        " hdfs://nn2:8020, hdfs://nn1:8020 ,,hdfs://nn3:8020");
    assertEquals(List.of(URI.create("hdfs://nn1:8020"), URI.create("hdfs://nn2:8020"), URI.create("hdfs://nn3:8020")),
        List.copyOf(HdfsDelegationTokenProvider.fileSystems(hadoop, conf)));
  }

  @Test
  void credentialsRoundTripThroughBytes() throws Exception {
    Credentials creds = new Credentials();
    Text service = new Text("10.0.0.5:8020");
    creds.addToken(service, new Token<>("id".getBytes(StandardCharsets.UTF_8), "pw".getBytes(StandardCharsets.UTF_8),
        new Text("HDFS_DELEGATION_TOKEN"), service));
    Credentials back = DelegationTokens.fromBytes(DelegationTokens.toBytes(creds));
    assertEquals(creds.getToken(service), back.getToken(service));
  }

  @Test
  void theBuiltInHdfsProviderIsFoundFirst() {
    assertEquals("hdfs", DelegationTokens.providers().get(0).serviceName());
  }
}
