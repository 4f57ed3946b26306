package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a YARN submission checks on this machine, before the cluster hears of it. */
class YarnSubmitterTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A cluster configuration whose ResourceManager address has nothing listening. */
  private static Configuration deadCluster() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Configuration conf = new YarnConfiguration(new Configuration(false));
    conf.set(YarnConfiguration.RM_ADDRESS, "127.0.0.1:" + port);
    return conf;
  }

  private Path jarWith(Class<?> c) throws IOException {
    Path jar = dir.resolve("app.jar");
    String name = c.getName().replace('.', '/') + ".class";
    try (OutputStream f = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(f);
         InputStream in = c.getClassLoader().getResourceAsStream(name)) {
      j.putNextEntry(new JarEntry(name));
      in.transferTo(j);
      j.closeEntry();
    }
    return jar;
  }

  private YarnSubmission submission(String mainClass, Path jar) {
    return new YarnSubmission(mainClass, jar.toString(), List.of(), List.of(), List.of(),
        Map.of("weft.yarn.connect.timeout", "1s"), List.of());
  }

  /** YARN's RM cancels the submitted delegation tokens at the end unless the user opts out. */
  @Test
  void theSubmissionAsksYarnToCancelTheTokensAtTheEndUnlessOptedOut() {
    io.weft.WeftConf conf = new io.weft.WeftConf(false);
    io.weft.yarn.ContainerSizes sizes = io.weft.yarn.ContainerSizes.of(conf);
    org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext ctx =
        org.apache.hadoop.yarn.util.Records.newRecord(org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext.class);
    ctx.setCancelTokensWhenComplete(false);
    YarnSubmitter.describe(ctx, conf, sizes);
    assertTrue(ctx.getCancelTokensWhenComplete(), "weft.yarn.security.tokens.cancelAtEnd defaults to true");
    conf.set("weft.yarn.security.tokens.cancelAtEnd", "false");
    YarnSubmitter.describe(ctx, conf, sizes);
    assertEquals(false, ctx.getCancelTokensWhenComplete());
  }

  @Test
  void aWrongMainClassFailsNamingClassAndJarBeforeTheClusterIsAsked() throws IOException {
    Path jar = jarWith(WeftSubmitTest.RecordingApp.class);
    try (YarnSubmitter submitter = new YarnSubmitter(deadCluster(), new PrintStream(out), new PrintStream(out))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> submitter.submit(submission("com.example.NoSuchMain", jar)));
      assertTrue(e.getMessage().contains("class com.example.NoSuchMain not found in " + jar), e.getMessage());
      // a right class gets past the check, to the (dead) cluster
      ClusterConnection.ClusterUnavailableException dead = assertThrows(ClusterConnection.ClusterUnavailableException.class,
          () -> submitter.submit(submission(WeftSubmitTest.RecordingApp.class.getName(), jar)));
      assertTrue(dead.getMessage().contains("did not answer"), dead.getMessage());
    }
  }

  @Test
  void aFailureNamesTheLogsCommandAndWithVerboseShowsTheDriversStackTrace() {
    org.apache.hadoop.yarn.api.records.ApplicationId app =
        org.apache.hadoop.yarn.api.records.ApplicationId.newInstance(1_700_000_000_000L, 5);
    String diagnostics = io.weft.yarn.Diagnostics.withTrace("Application C failed: IllegalStateException: boom",
        new IllegalStateException("boom"));
    org.apache.hadoop.yarn.api.records.ApplicationReport report =
        org.apache.hadoop.yarn.api.records.ApplicationReport.newInstance(app, null, "u", "q", "n", "h", 0, null,
            org.apache.hadoop.yarn.api.records.YarnApplicationState.FINISHED, diagnostics, null, 0, 0, 0,
            org.apache.hadoop.yarn.api.records.FinalApplicationStatus.FAILED, null, null, 1f, "WEFT", null);
    ByteArrayOutputStream quiet = new ByteArrayOutputStream();
    YarnSubmitter.reportFailure(report, false, new PrintStream(quiet, true, java.nio.charset.StandardCharsets.UTF_8));
    String q = quiet.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(q.contains("ended FINISHED/FAILED (Application C failed: IllegalStateException: boom)"), q);
    assertTrue(q.contains("weft logs " + app), q);
    assertTrue(!q.contains("\tat "), "no stack trace without --verbose: " + q);
    ByteArrayOutputStream loud = new ByteArrayOutputStream();
    YarnSubmitter.reportFailure(report, true, new PrintStream(loud, true, java.nio.charset.StandardCharsets.UTF_8));
    String v = loud.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(v.contains("Stack trace of the driver") && v.contains("\tat " + YarnSubmitterTest.class.getName()), v);
  }

  @Test
  void maxAppAttemptsDefaultsToTwoAndIsCappedByTheResourceManagersMaximum() {
    Configuration rm = new Configuration(false);
    rm.setInt(YarnConfiguration.RM_AM_MAX_ATTEMPTS, 4);
    assertEquals(2, YarnSubmitter.maxAppAttempts(new io.weft.WeftConf(false), rm));
    assertEquals(3, YarnSubmitter.maxAppAttempts(new io.weft.WeftConf(false).set("weft.yarn.maxAppAttempts", "3"), rm));
    rm.setInt(YarnConfiguration.RM_AM_MAX_ATTEMPTS, 1);
    assertEquals(1, YarnSubmitter.maxAppAttempts(new io.weft.WeftConf(false), rm));
  }
}
