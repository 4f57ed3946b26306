package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.it.apps.RunsUntilKilled;
import io.weft.it.apps.SumsAndPrints;
import io.weft.it.yarn.WeftOnYarn;
import io.weft.yarn.client.ApplicationLogs;
import io.weft.yarn.client.YarnSubmitter;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's first hour on YARN (issue 12), on the embedded cluster (two NodeManagers of 4 GB):
 * the logs of an ended application are readable from the client, a client interrupted while it
 * follows an application says the application keeps running and {@code weft kill} then leaves no
 * staging directory behind, and an application asking for more executors than fit starts with
 * those that do instead of waiting out the registration timeout.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class YarnFirstHourIT {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(2).build();

  @TempDir
  static Path tmp;

  @Test
  void logsOfAnEndedApplicationHoldTheDriversOutput() throws Exception {
    WeftOnYarn.Run run = WeftOnYarn.run(CLUSTER, SumsAndPrints.class.getName(),
        WeftOnYarn.appJar(SumsAndPrints.class, tmp), List.of("1000"), WeftOnYarn.settings("logs", 1));
    assertEquals(0, run.exitCode(), run.output());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc;
    try (YarnClient yarn = YarnClient.createYarnClient()) {
      yarn.init(CLUSTER.configuration());
      yarn.start();
      rc = new ApplicationLogs(yarn, CLUSTER.configuration(), new PrintStream(out, true, StandardCharsets.UTF_8),
          System.err).print(run.appId(), null, "stdout");
    }
    String logs = out.toString(StandardCharsets.UTF_8);
    System.out.println("==== weft logs " + run.appId() + " --type stdout\n" + logs);
    assertEquals(0, rc);
    // 1 + 2 + ... + 1000, computed here
    assertTrue(logs.contains("SumsAndPrints: sum of 1..1000 is " + (1000L * 1001 / 2)), logs);
    assertTrue(logs.contains(run.appId().toString().replace("application_", "container_") + "_01_000001"),
        "the driver's container is named: " + logs);
  }

  @Test
  void anInterruptedClientSaysTheApplicationKeepsRunningAndWeftKillLeavesNoStagingDirectory() throws Exception {
    Path confDir = CLUSTER.writeConfDir(Files.createDirectories(tmp.resolve("conf")));
    Path jar = WeftOnYarn.appJar(RunsUntilKilled.class, tmp);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", confDir + File.pathSeparator + WeftOnYarn.weftJars().stream().map(Path::toString)
            .collect(Collectors.joining(File.pathSeparator)),
        "io.weft.yarn.client.Launcher", "submit", "--master", "yarn", "--class", RunsUntilKilled.class.getName()));
    WeftOnYarn.settings("interrupted", 1).forEach((k, v) -> cmd.addAll(List.of("--conf", k + "=" + v)));
    cmd.add(jar.toString());
    Process client = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    CompletableFuture<ApplicationId> running = new CompletableFuture<>();
    Thread reader = new Thread(() -> readUntilRunning(client, output, running), "client-output");
    reader.start();
    ApplicationId appId;
    try {
      appId = running.get(3, TimeUnit.MINUTES);
      // SIGTERM, as Ctrl-C ends the JVM (its shutdown hooks run); through the handle, because
      // Process.destroy() also closes our end of its output, and the last line would be lost
      client.toHandle().destroy();
      assertTrue(client.waitFor(60, TimeUnit.SECONDS), "the client exits");
      reader.join(10_000);
    } finally {
      client.destroyForcibly();
    }
    String text;
    synchronized (output) {
      text = output.toString();
    }
    System.out.println("==== interrupted weft submit\n" + text);
    assertTrue(text.contains(appId + " keeps running on YARN"), text);
    assertTrue(text.contains("weft kill " + appId), text);
    assertEquals(YarnApplicationState.RUNNING, WeftOnYarn.report(CLUSTER, appId).getYarnApplicationState());
    assertTrue(WeftOnYarn.stagingDirExists(CLUSTER, appId), "the running application still has its files");
    String driverLog = logsOfRunningDriver(appId);
    assertTrue(driverLog.contains("RunsUntilKilled started"), "a running driver's stdout, from its NodeManager: " + driverLog);

    ByteArrayOutputStream killOut = new ByteArrayOutputStream();
    try (YarnSubmitter yarn = new YarnSubmitter(CLUSTER.configuration(),
        new PrintStream(killOut, true, StandardCharsets.UTF_8), System.err)) {
      assertEquals(0, yarn.kill(appId));
    }
    System.out.println("==== weft kill\n" + killOut.toString(StandardCharsets.UTF_8));
    assertEquals(YarnApplicationState.KILLED, WeftOnYarn.report(CLUSTER, appId).getYarnApplicationState());
    assertFalse(WeftOnYarn.stagingDirExists(CLUSTER, appId), "weft kill leaves no staging directory");
  }

  /**
   * 4 executors of 2 GB asked, room for 3 next to the ApplicationMaster: with half of them
   * enough (the ratio) and a 100 s maximum wait, the job must run on those that fit well before
   * either that wait or the 120 s registration timeout, after which the old driver started.
   */
  @Test
  void anApplicationAskingForMoreExecutorsThanFitStartsWithThoseThatDo() throws Exception {
    Map<String, String> settings = WeftOnYarn.settings("half-a-cluster", 4);
    settings.put("weft.executor.memory", "1920m"); // + 128m overhead: a 2048 MB container
    settings.put("weft.scheduler.minRegisteredResourcesRatio", "0.5");
    settings.put("weft.scheduler.maxRegisteredResourcesWaitingTime", "100s");
    long start = System.nanoTime();
    WeftOnYarn.Run run = WeftOnYarn.run(CLUSTER, SumsAndPrints.class.getName(),
        WeftOnYarn.appJar(SumsAndPrints.class, tmp), List.of("2000"), settings);
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertEquals(0, run.exitCode(), run.output());
    assertTrue(seconds < 95, "took " + seconds + " s: the driver waited for executors that cannot fit");
    Matcher m = Pattern.compile("executors: (\\d) of 4 running").matcher(run.output());
    assertTrue(m.find(), "the progress line counts executors: " + run.output());
  }

  /**
   * {@code weft logs APP --type stdout} of a running application, read until its driver has
   * printed (bounded: it prints right after the ApplicationMaster registered).
   */
  private static String logsOfRunningDriver(ApplicationId appId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String text = "";
    try (YarnClient yarn = YarnClient.createYarnClient()) {
      yarn.init(CLUSTER.configuration());
      yarn.start();
      while (!text.contains("RunsUntilKilled started") && System.nanoTime() < deadline) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ApplicationLogs(yarn, CLUSTER.configuration(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err)
            .print(appId, null, "stdout");
        text = out.toString(StandardCharsets.UTF_8);
        if (!text.contains("RunsUntilKilled started")) {
          Thread.sleep(200); // the driver has not printed yet: poll again
        }
      }
    }
    System.out.println("==== weft logs (running) " + appId + "\n" + text);
    return text;
  }

  /** Reads the client's output; completes {@code running} with the application id once it runs. */
  private static void readUntilRunning(Process client, StringBuilder output, CompletableFuture<ApplicationId> running) {
    Pattern submitted = Pattern.compile("Submitted (application_\\d+_\\d+)");
    ApplicationId appId = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        synchronized (output) {
          output.append(line).append('\n');
        }
        Matcher m = submitted.matcher(line);
        if (m.find()) {
          appId = ApplicationId.fromString(m.group(1));
        }
        if (appId != null && line.contains(appId + " is RUNNING")) {
          running.complete(appId);
        }
      }
    } catch (java.io.IOException e) {
      running.completeExceptionally(e);
    }
    running.completeExceptionally(new IllegalStateException("the client ended before the application ran:\n" + output));
  }
}
