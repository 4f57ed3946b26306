package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.bench.OutputFactory;
import io.weft.bench.TextGenerator;
import io.weft.it.secure.SecureCluster;
import io.weft.it.yarn.WeftOnYarn;
import io.weft.yarn.YarnConstants;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weft on a Kerberized cluster: a real KDC ({@code MiniKdc}), HDFS and YARN that require
 * Kerberos ({@link SecureCluster}). The client logs in from a keytab, obtains HDFS delegation
 * tokens (renewer: the ResourceManager) and ships them with the application secret; the AM
 * (driver) and two executor containers, which have no Kerberos credentials, read and write HDFS
 * with them. WordCount's output must equal a plain-Java count of the input. Without a token for
 * the input's file system, the job fails with a message naming that file system. Finally no
 * container log, launch script or other file the NodeManagers wrote holds the application
 * secret or a token's password in any usual encoding.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class KerberosYarnIT {
  @TempDir
  static Path tmp;
  static SecureCluster secure;
  static UserGroupInformation client;
  static FileSystem fs;

  @BeforeAll
  static void start() throws Exception {
    secure = SecureCluster.start(tmp, 2, Map.of());
    client = UserGroupInformation.loginUserFromKeytabAndReturnUGI(secure.clientPrincipal(),
        secure.keytab().getAbsolutePath());
    fs = client.doAs((PrivilegedExceptionAction<FileSystem>) () ->
        FileSystem.newInstance(secure.cluster().configuration()));
    new TextGenerator(2).generate(OutputFactory.hadoop(fs, new org.apache.hadoop.fs.Path("/in/text")), 4L << 20, 11L);
  }

  @AfterAll
  static void stop() throws IOException {
    if (fs != null) {
      fs.close();
    }
    if (secure != null) {
      secure.close();
    }
  }

  private static String hdfs(String path) {
    return fs.makeQualified(new org.apache.hadoop.fs.Path(path)).toString();
  }

  @Test
  void wordCountReadsAndWritesKerberizedHdfsWithTheClientsTokens() throws Exception {
    Map<String, String> settings = WeftOnYarn.settings("kerberos-wordcount", 2);
    settings.putAll(secure.containerKerberosSettings());
    settings.put("weft.yarn.principal", secure.clientPrincipal());
    settings.put("weft.yarn.keytab", secure.keytab().getAbsolutePath());
    WeftOnYarn.Run run = WeftOnYarn.run(secure.cluster().configuration(), "io.weft.examples.WordCount",
        WeftOnYarn.examplesJar(), List.of(hdfs("/in/text"), hdfs("/out/wordcount")), settings);
    try {
      assertEquals(0, run.exitCode(), run.output());
      client.doAs((PrivilegedExceptionAction<Void>) () -> {
        ExampleChecks.checkWordCount(fs, new org.apache.hadoop.fs.Path("/in/text"),
            new org.apache.hadoop.fs.Path("/out/wordcount"));
        return null;
      });
      List<String> amLog = appLogLines(run.appId().toString(), "stderr");
      assertTrue(amLog.stream().anyMatch(l -> l.contains("Logged in from the shipped keytab as " + secure.clientPrincipal())),
          "the AM did not log in from the shipped keytab");
      assertNoSecretOutsideCredentialFiles(run.appId().toString());
    } catch (AssertionError | Exception e) {
      secure.cluster().printContainerLogs(run.appId().toString(), System.err);
      throw e;
    }
  }

  /**
   * The client's default file system is the local one (staging there, so the NodeManager can
   * localize without HDFS), and HDFS is not in weft.yarn.access.hadoopFileSystems: no HDFS token
   * is obtained, and the driver refuses the HDFS input naming it.
   */
  @Test
  void withoutATokenForTheInputsFileSystemTheJobFailsNamingIt() throws Exception {
    Configuration localDefault = secure.cluster().configuration();
    localDefault.set("fs.defaultFS", "file:///");
    Map<String, String> settings = WeftOnYarn.settings("kerberos-no-token", 2);
    settings.putAll(secure.containerKerberosSettings());
    WeftOnYarn.Run run = WeftOnYarn.run(localDefault, "io.weft.examples.WordCount", WeftOnYarn.examplesJar(),
        List.of(hdfs("/in/text"), hdfs("/out/no-token")), settings);
    assertNotEquals(0, run.exitCode(), run.output());
    String uri = fs.getUri().toString();
    assertTrue(run.output().contains("No delegation token for file system " + uri), run.output());
    assertTrue(run.output().contains("weft.yarn.access.hadoopFileSystems"), run.output());
    assertFalse(fs.exists(new org.apache.hadoop.fs.Path("/out/no-token/_SUCCESS")));
  }

  /**
   * Reads the AM's own credentials file (where the secret and tokens must be) and searches every
   * other file YARN wrote for this application (container logs, launch_container.sh with the
   * command line and environment, directory.info, the unpacked conf archive) for them.
   */
  private static void assertNoSecretOutsideCredentialFiles(String appId) throws IOException {
    Path yarnDir = tmp.resolve("cluster").resolve("yarn");
    List<Path> files;
    try (Stream<Path> all = Files.walk(yarnDir)) {
      // container ids repeat the application id's digits without its "application_" prefix
      String digits = appId.substring(appId.indexOf('_') + 1);
      files = all.filter(Files::isRegularFile).filter(f -> f.toString().contains(digits)).toList();
    }
    Path tokens = files.stream().filter(f -> isCredentialFile(f.getFileName().toString()))
        .filter(f -> f.toString().contains("_01_000001")).findFirst()
        .orElseThrow(() -> new AssertionError("no credentials file of the AM container among "
            + files.stream().map(f -> yarnDir.relativize(f).toString()).toList()));
    Credentials creds = Credentials.readTokenStorageFile(new org.apache.hadoop.fs.Path(tokens.toUri()), new Configuration());
    List<byte[]> secrets = new ArrayList<>();
    byte[] appSecret = creds.getSecretKey(YarnConstants.SECRET_KEY);
    assertNotNull(appSecret, "no application secret in " + tokens);
    secrets.add(appSecret);
    int hdfsTokens = 0;
    for (Token<?> t : creds.getAllTokens()) {
      if (t.getKind().toString().equals("HDFS_DELEGATION_TOKEN")) {
        hdfsTokens++;
        secrets.add(t.getPassword());
        secrets.add(t.encodeToUrlString().getBytes(StandardCharsets.US_ASCII));
      }
    }
    assertTrue(hdfsTokens > 0, "the AM got no HDFS delegation token: " + creds.getAllTokens());
    // the search finds what is there: the credentials file itself holds the secret's raw bytes
    String own = new String(Files.readAllBytes(tokens), StandardCharsets.ISO_8859_1);
    assertTrue(own.contains(forms(appSecret).get(0)), "the search would miss the raw secret");
    int searched = 0;
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (isCredentialFile(name) || name.equals(YarnConstants.KEYTAB_FILE)
          || name.endsWith(".jar") || name.endsWith(".zip")) {
        continue; // the credential files themselves, the keytab, and binary archives
      }
      byte[] content = Files.readAllBytes(f);
      String text = new String(content, StandardCharsets.ISO_8859_1);
      for (byte[] s : secrets) {
        for (String form : forms(s)) {
          assertFalse(text.contains(form), "a secret (" + form.length() + " chars) is in " + f);
        }
      }
      searched++;
    }
    assertTrue(searched > 5, "searched only " + searched + " files");
  }

  /** The NodeManager's copies of a container's credentials (where the secret belongs). */
  private static boolean isCredentialFile(String name) {
    return name.equals("container_tokens") || name.endsWith(".tokens");
  }

  /** Raw bytes, hex, Base64 and URL-safe Base64 (without padding, which a substring may lack). */
  private static List<String> forms(byte[] s) {
    return List.of(new String(s, StandardCharsets.ISO_8859_1), HexFormat.of().formatHex(s),
        HexFormat.of().withUpperCase().formatHex(s), Base64.getEncoder().withoutPadding().encodeToString(s),
        Base64.getUrlEncoder().withoutPadding().encodeToString(s));
  }

  private static List<String> appLogLines(String appId, String fileName) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path logDir : secure.cluster().nodeManagerLogDirs()) {
      Path appDir = logDir.resolve(appId);
      if (Files.isDirectory(appDir)) {
        try (Stream<Path> files = Files.walk(appDir)) {
          for (Path log : files.filter(f -> f.getFileName().toString().equals(fileName)).toList()) {
            out.addAll(Files.readAllLines(log, StandardCharsets.UTF_8));
          }
        }
      }
    }
    return out;
  }
}
