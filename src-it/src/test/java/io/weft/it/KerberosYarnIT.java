package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.bench.OutputFactory;
import io.weft.bench.TextGenerator;
import io.weft.it.apps.OutlivesItsTokens;
import io.weft.it.secure.ProcessTable;
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
import org.apache.hadoop.security.token.delegation.AbstractDelegationTokenIdentifier;
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
 * container log, launch script or other file the NodeManagers wrote, and no container
 * process's command line or environment, holds the application secret or a token's password
 * in any usual encoding. The NameNode's token lifetimes are seconds:
 * a job with a keytab outlives its submitted token on refreshed ones, and the ResourceManager
 * cancels the submitted tokens when an application ends.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class KerberosYarnIT {
  /**
   * The NameNode's token lifetimes, seconds instead of a day and a week: an unrenewed token (every
   * one the AM's refresher obtains) dies after {@link #RENEW_INTERVAL_MS}; one the RM renews (the
   * submitted ones) after {@link #MAX_LIFETIME_MS}, long enough for the WordCount test to end
   * before it (so that its token is cancelled, not expired).
   */
  static final long RENEW_INTERVAL_MS = 10_000;
  static final long MAX_LIFETIME_MS = 60_000;
  @TempDir
  static Path tmp;
  /** The short name the test principals map to (hadoop.security.auth_to_local in SecureCluster). */
  static final String CLIENT_SHORT = System.getProperty("user.name");
  static SecureCluster secure;
  static UserGroupInformation client;
  static FileSystem fs;

  @BeforeAll
  static void start() throws Exception {
    secure = SecureCluster.start(tmp, 2, Map.of(
        "dfs.namenode.delegation.token.renew-interval", Long.toString(RENEW_INTERVAL_MS),
        "dfs.namenode.delegation.token.max-lifetime", Long.toString(MAX_LIFETIME_MS),
        "dfs.namenode.delegation.key.update-interval", Long.toString(RENEW_INTERVAL_MS),
        // without log aggregation the RM cancels an ended application's tokens at once, rather
        // than after yarn.nm.liveness-monitor.expiry-interval-ms (10 min), kept for the upload
        "yarn.log-aggregation-enable", "false"));
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
    ProcessTable processes = ProcessTable.watch(secure.krb5Conf().getAbsolutePath()); // on every container's command line
    WeftOnYarn.Run run;
    Map<Long, String> seen;
    try {
      run = WeftOnYarn.run(secure.cluster().configuration(), "io.weft.examples.WordCount",
          WeftOnYarn.examplesJar(), List.of(hdfs("/in/text"), hdfs("/out/wordcount")), settings);
    } finally {
      seen = processes.stop();
    }
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
      assertNoSecretOutsideCredentialFiles(run.appId().toString(), seen);
      assertCancelledAtTheEnd(submittedHdfsToken(run.appId().toString()));
    } catch (AssertionError | Exception e) {
      secure.cluster().printContainerLogs(run.appId().toString(), System.err);
      throw e;
    }
  }

  /**
   * Token renewal with lifetimes of seconds: a job submitted with a keytab waits, in its driver
   * and in 8 tasks, until it holds an HDFS token issued after the submitted token's max date
   * (see {@link OutlivesItsTokens}), then counts words reading and writing HDFS. It has outlived
   * the submitted token and at least {@code MAX_LIFETIME / RENEW_INTERVAL} generations of
   * refreshed ones; the AM refreshed and every executor received fresh tokens at least twice, and
   * the submitted token no longer works.
   */
  @Test
  void aJobWithAKeytabOutlivesItsTokensAndStillReadsAndWritesHdfs() throws Exception {
    Map<String, String> settings = WeftOnYarn.settings("kerberos-renewal", 2);
    settings.putAll(secure.containerKerberosSettings());
    settings.put("weft.yarn.principal", secure.clientPrincipal());
    settings.put("weft.yarn.keytab", secure.keytab().getAbsolutePath());
    WeftOnYarn.Run run = WeftOnYarn.run(secure.cluster().configuration(), OutlivesItsTokens.class.getName(),
        WeftOnYarn.appJar(OutlivesItsTokens.class, tmp), List.of(hdfs("/in/text"), hdfs("/out/outlived")), settings);
    String appId = run.appId().toString();
    try {
      assertEquals(0, run.exitCode(), run.output());
      client.doAs((PrivilegedExceptionAction<Void>) () -> {
        ExampleChecks.checkWordCount(fs, new org.apache.hadoop.fs.Path("/in/text"),
            new org.apache.hadoop.fs.Path("/out/outlived"));
        return null;
      });
      Token<?> submitted = submittedHdfsToken(appId);
      AbstractDelegationTokenIdentifier id = (AbstractDelegationTokenIdentifier) submitted.decodeIdentifier();
      assertEquals(MAX_LIFETIME_MS, id.getMaxDate() - id.getIssueDate(), "the NameNode's max lifetime setting");
      String said = appLogLines(appId, "stdout").stream().filter(l -> l.startsWith("OutlivesItsTokens: original"))
          .findFirst().orElseThrow(() -> new AssertionError("the driver did not say which tokens it saw"));
      assertTrue(said.contains("original max date " + id.getMaxDate() + ","), said);
      Map<String, List<String>> logs = containerLogLines(appId, "stderr");
      Map<String, Long> pushes = new java.util.TreeMap<>();
      logs.forEach((container, lines) -> pushes.put(container,
          lines.stream().filter(l -> l.contains("delegation tokens from the driver")).count()));
      long refreshes = logs.entrySet().stream().filter(e -> e.getKey().endsWith("_000001"))
          .flatMap(e -> e.getValue().stream()).filter(l -> l.contains("Refreshed ")).count();
      assertTrue(refreshes >= 2, "the AM refreshed tokens " + refreshes + " times");
      pushes.remove(pushes.keySet().stream().filter(c -> c.endsWith("_000001")).findFirst().orElseThrow());
      assertEquals(2, pushes.size(), "executor containers: " + pushes);
      assertTrue(pushes.values().stream().allMatch(n -> n >= 2), "fresh tokens each executor received: " + pushes);
      assertTrue(useToken(submitted).isPresent(), "the submitted token still works after its max lifetime");
    } catch (AssertionError | Exception e) {
      secure.cluster().printContainerLogs(appId, System.err);
      throw e;
    }
  }

  /**
   * YARN's ResourceManager cancels the submitted token once the application ends
   * (weft.yarn.security.tokens.cancelAtEnd): waits (bounded) until using it fails, and checks
   * that the NameNode says it no longer knows it (cancelled) rather than that it expired. A token
   * the test obtains itself works the same way, so the failure is the token's.
   */
  private static void assertCancelledAtTheEnd(Token<?> submitted) throws Exception {
    Token<?> fresh = client.doAs((PrivilegedExceptionAction<Token<?>>) () -> fs.getDelegationToken(CLIENT_SHORT));
    assertEquals(java.util.Optional.empty(), useToken(fresh), "a live token must work");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    java.util.Optional<Exception> failure = useToken(submitted);
    while (failure.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200); // the RM cancels on its own thread after the application ends
      failure = useToken(submitted);
    }
    String why = failure.map(KerberosYarnIT::chain).orElse("(it still works)");
    assertTrue(why.contains("InvalidToken") && why.contains("can't be found in cache"),
        "the submitted token was not cancelled at the end; using it gave: " + why);
  }

  /** The HDFS token the client submitted: the one in the AM container's credentials file. */
  private static Token<?> submittedHdfsToken(String appId) throws IOException {
    Credentials creds = Credentials.readTokenStorageFile(new org.apache.hadoop.fs.Path(amCredentialsFile(appId).toUri()),
        new Configuration());
    return creds.getAllTokens().stream().filter(t -> t.getKind().toString().equals("HDFS_DELEGATION_TOKEN"))
        .findFirst().orElseThrow(() -> new AssertionError("no HDFS token in the AM's credentials"));
  }

  /** Calls the NameNode with only {@code token} as credentials; the failure, if it failed. */
  private static java.util.Optional<Exception> useToken(Token<?> token) throws InterruptedException {
    UserGroupInformation holder = UserGroupInformation.createRemoteUser(CLIENT_SHORT);
    holder.addToken(token);
    try {
      holder.doAs((PrivilegedExceptionAction<Void>) () -> {
        try (FileSystem tokenFs = FileSystem.newInstance(secure.cluster().configuration())) {
          tokenFs.getFileStatus(new org.apache.hadoop.fs.Path("/in/text"));
        }
        return null;
      });
      return java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.of(e);
    }
  }

  private static String chain(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      String name = c instanceof org.apache.hadoop.ipc.RemoteException r ? r.getClassName() : c.getClass().getName();
      b.append(name).append(": ").append(c.getMessage()).append(" <- ");
    }
    return b.toString();
  }

  /**
   * A Hadoop input format's planning on a Kerberized cluster, in an AM that holds only the
   * submitted tokens (no keytab): the listing gets the process's tokens and a renewer, as a text
   * input's does (before, MapReduce's TokenCache asked for a "master principal" and failed).
   */
  @Test
  void aHadoopInputFormatIsPlannedWithTheSubmittedTokens() throws Exception {
    Map<String, String> settings = WeftOnYarn.settings("kerberos-hadoopfile", 2);
    settings.putAll(secure.containerKerberosSettings());
    WeftOnYarn.Run run = WeftOnYarn.run(secure.cluster().configuration(), io.weft.it.apps.CountsLines.class.getName(),
        WeftOnYarn.appJar(io.weft.it.apps.CountsLines.class, tmp), List.of(hdfs("/in/text"), "hadoop"), settings);
    assertEquals(0, run.exitCode(), run.output());
    long expected = client.doAs((PrivilegedExceptionAction<Long>) () -> {
      long lines = 0;
      var files = fs.listFiles(new org.apache.hadoop.fs.Path("/in/text"), true);
      while (files.hasNext()) {
        try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
            fs.open(files.next().getPath()), java.nio.charset.StandardCharsets.UTF_8))) {
          lines += in.lines().count();
        }
      }
      return lines;
    });
    assertTrue(appLogLines(run.appId().toString(), "stdout").contains("CountsLines: " + expected + " lines"),
        "the driver counted every line through TextInputFormat");
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
  private static void assertNoSecretOutsideCredentialFiles(String appId, Map<Long, String> processes)
      throws Exception {
    List<Path> files = appFiles(appId);
    Path tokens = amCredentialsFile(appId);
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
    // the event log (what the live UI, its status JSON and the history server show): redacted
    String eventLog = eventLogText(appId);
    assertTrue(eventLog.contains("EnvironmentUpdated"), "the event log has no environment event");
    for (byte[] s : secrets) {
      for (String form : forms(s)) {
        assertFalse(eventLog.contains(form), "a secret (" + form.length() + " chars) is in the event log");
      }
    }
    // the process table while it ran: what ps shows (command lines) and each process's environment
    long ams = processes.values().stream().filter(p -> p.contains("io.weft.yarn.am.ApplicationMaster")).count();
    long executors = processes.values().stream().filter(p -> p.contains("io.weft.yarn.executor.YarnExecutorMain")).count();
    assertTrue(ams >= 1 && executors >= 2, "processes seen: " + processes.keySet() + " (" + ams + " AM, "
        + executors + " executors)");
    processes.forEach((pid, text) -> {
      for (byte[] s : secrets) {
        for (String form : forms(s)) {
          assertFalse(text.contains(form), "a secret (" + form.length() + " chars) is on the command line or in "
              + "the environment of process " + pid);
        }
      }
    });
  }

  /** The application's event log on the secure HDFS (weft.eventLog.dir's default, the user's weftEventLogs). */
  private static String eventLogText(String appId) throws Exception {
    return client.doAs((PrivilegedExceptionAction<String>) () -> {
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(fs.getHomeDirectory(), "weftEventLogs");
      StringBuilder text = new StringBuilder();
      for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(dir)) {
        if (st.getPath().getName().startsWith(appId)) {
          try (java.io.InputStream in = fs.open(st.getPath())) {
            text.append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
          }
        }
      }
      assertFalse(text.isEmpty(), "no event log of " + appId + " in " + dir);
      return text.toString();
    });
  }

  /** The files YARN wrote for {@code appId} under the cluster's yarn directory. */
  private static List<Path> appFiles(String appId) throws IOException {
    try (Stream<Path> all = Files.walk(tmp.resolve("cluster").resolve("yarn"))) {
      // container ids repeat the application id's digits without its "application_" prefix
      String digits = appId.substring(appId.indexOf('_') + 1);
      return all.filter(Files::isRegularFile).filter(f -> f.toString().contains(digits)).toList();
    }
  }

  /** The NodeManager's copy of the AM container's credentials: what the client submitted. */
  private static Path amCredentialsFile(String appId) throws IOException {
    List<Path> files = appFiles(appId);
    return files.stream().filter(f -> isCredentialFile(f.getFileName().toString()))
        .filter(f -> f.toString().contains("_01_000001")).findFirst()
        .orElseThrow(() -> new AssertionError("no credentials file of the AM container among " + files));
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

  /** Lines of each container's {@code fileName} log, by container id. */
  private static Map<String, List<String>> containerLogLines(String appId, String fileName) throws IOException {
    Map<String, List<String>> out = new java.util.TreeMap<>();
    for (Path logDir : secure.cluster().nodeManagerLogDirs()) {
      Path appDir = logDir.resolve(appId);
      if (Files.isDirectory(appDir)) {
        try (Stream<Path> files = Files.walk(appDir)) {
          for (Path log : files.filter(f -> f.getFileName().toString().equals(fileName)).toList()) {
            out.computeIfAbsent(log.getParent().getFileName().toString(), c -> new ArrayList<>())
                .addAll(Files.readAllLines(log, StandardCharsets.UTF_8));
          }
        }
      }
    }
    return out;
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
