package io.weft.yarn.am;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.config.UiOptions;
import io.weft.status.ListenerEvent;
import io.weft.status.WeftListener;
import io.weft.yarn.AppSecret;
import io.weft.yarn.YarnConstants;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.DataInputByteBuffer;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.service.Service;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ApplicationMaster's whole lifecycle in-process, against hand-written YARN clients: the
 * container's working directory and staging directory are temporary local directories, and the
 * application's main classes are the nested classes below.
 */
class ApplicationMasterTest {
  private static final byte[] SECRET = AppSecret.generate(new SecureRandom());
  private static final Map<String, String> ENV = Map.of(
      "CONTAINER_ID", "container_1700000000000_0007_01_000001", "NM_HOST", "localhost");

  @TempDir
  Path workDir;
  @TempDir
  Path stagingDir;

  private TestingAmRmClient amRm;
  private TestingNmClient nm;

  @BeforeAll
  static void secretInCredentials() throws IOException {
    Credentials creds = new Credentials();
    AppSecret.addTo(creds, SECRET);
    UserGroupInformation.getCurrentUser().addCredentials(creds);
  }

  @BeforeEach
  void reset() {
    Succeeds.pageSeen = null;
    Succeeds.servicesSeen = null;
    Succeeds.factorySeen = null;
    Succeeds.masterSeen = null;
    Succeeds.requestsSeen = -1;
  }

  @Test
  void mainThatReturnsUnregistersSucceededAndCleansUp() throws Exception {
    writeLaunch(Succeeds.class.getName(), "a", "b c");
    assertEquals(0, newAm().run());

    assertEquals(List.of(new TestingAmRmClient.Unregistration(FinalApplicationStatus.SUCCEEDED, "",
        amRm.trackingUrl)), amRm.unregistrations);
    assertEquals("yarn", Succeeds.masterSeen, "main sees weft.master=yarn as a system property");
    assertEquals(List.of("a", "b c"), Succeeds.argsSeen);
    assertTrue(Succeeds.pageSeen.contains("am-test-app"), Succeeds.pageSeen);
    assertTrue(Succeeds.pageSeen.contains("RUNNING"), Succeeds.pageSeen);
    YarnAmServices services = Succeeds.servicesSeen;
    assertNotNull(services, "main runs with the AM's backend factory, with its services, bound");
    assertEquals(2, Succeeds.requestsSeen, "the 2 executor containers were asked for before main ran");
    assertEquals(2, amRm.removed.size(), "main started no context: the early requests were withdrawn");
    assertTrue(services.takeEarlyProvisioner(new io.weft.WeftConf(false)).isEmpty(), "given back at the end");
    assertArrayEquals(SECRET, services.secret());
    assertEquals(7, services.attemptId().getApplicationId().getId());
    assertTrue(services.executorResources().containsKey(YarnConstants.CONF_DIR));
    Credentials executorCreds = new Credentials();
    DataInputByteBuffer in = new DataInputByteBuffer();
    in.reset(services.executorTokens());
    executorCreds.readTokenStorageStream(in);
    assertArrayEquals(SECRET, AppSecret.readFrom(executorCreds));

    IllegalStateException retired = assertThrows(IllegalStateException.class,
        () -> Succeeds.factorySeen.create(new io.weft.WeftConf(false), null), "retired at the end");
    assertTrue(retired.getMessage().contains("has ended"), retired.getMessage());
    assertTrue(io.weft.cluster.HostedBackend.bound("yarn").isEmpty(), "unbound once main returned");
    assertFalse(Files.exists(stagingDir), "staging dir deleted");
    assertEquals(Service.STATE.STOPPED, amRm.getServiceState());
    assertEquals(Service.STATE.STOPPED, nm.getServiceState());
    assertEquals(null, System.getProperty("weft.master"), "system properties restored");
  }

  @Test
  void theResourceManagerHearsTheDriversTaskProgressAndFastHeartbeatsWhileExecutorsArePending() throws Exception {
    writeLaunch(ReportsProgress.class.getName());
    assertEquals(0, newAm().run());

    assertEquals(0f, ReportsProgress.before, "no task yet");
    assertEquals(3f / 8, ReportsProgress.during, 1e-6, "3 of the 8 tasks submitted have ended");
    assertEquals(3f / 8, ReportsProgress.afterNewStage, 1e-6, "a new stage's tasks do not take progress back");
    assertEquals(1f, amRm.handler().getProgress(), "the application ended");
    assertEquals(200, ReportsProgress.heartbeatMs, "2 executor containers pending: the default fast heartbeat");
    assertEquals(1000, amRm.heartbeatMs(), "the early requests were withdrawn: the default idle heartbeat");
  }

  @Test
  void inAmModeRunsTheJobInsideTheAmWithoutAskingForContainers() throws Exception {
    writeLaunch(Map.of("weft.yarn.inAm.mode", "on", "weft.executor.cores", "2"), RunsInAm.class.getName());
    assertEquals(0, newAm().run());

    Map<Integer, Integer> expected = new java.util.TreeMap<>();
    for (int i = 0; i < 100; i++) {
      expected.merge(i % 7, i, Integer::sum);
    }
    assertEquals(expected, new java.util.TreeMap<>(RunsInAm.sums), "a shuffle job's result, computed in the AM");
    assertEquals(0, RunsInAm.requestsDuringJob, "no executor container was asked for");
    assertTrue(amRm.requests.isEmpty(), "none later either: " + amRm.requests);
    assertEquals(2, RunsInAm.parallelism, "weft.executor.cores task slots inside the AM");
    assertTrue(RunsInAm.progressLine.contains("inside the ApplicationMaster"), RunsInAm.progressLine);
    assertEquals(1000, RunsInAm.heartbeatMs, "nothing is ever pending: the idle heartbeat from the start");
    assertEquals(1, amRm.unregistrations.size(), "unregistered once: " + amRm.unregistrations);
    TestingAmRmClient.Unregistration end = amRm.unregistrations.get(0);
    assertEquals(FinalApplicationStatus.SUCCEEDED, end.status());
    assertEquals(amRm.trackingUrl, end.trackingUrl());
    // the diagnostic says where the tasks ran, then (as for every application) their locality
    assertEquals(ApplicationMaster.RAN_IN_AM + "\nTasks by locality: NO_PREF=8", end.diagnostic());
  }

  @Test
  void mainThatThrowsUnregistersFailedNamingTheCause() throws Exception {
    writeLaunch(Throws.class.getName());
    assertEquals(1, newAm().run());

    assertEquals(1, amRm.unregistrations.size());
    TestingAmRmClient.Unregistration u = amRm.unregistrations.get(0);
    assertEquals(FinalApplicationStatus.FAILED, u.status());
    assertTrue(u.diagnostic().contains("input /data/missing does not exist"), u.diagnostic());
    assertTrue(u.diagnostic().contains("caused by FileNotFoundException: hdfs://nn/data/missing: no such file"), u.diagnostic());
    String summary = io.weft.yarn.Diagnostics.summary(u.diagnostic());
    assertTrue(summary.contains("caused by FileNotFoundException"), summary);
    assertFalse(summary.contains("\tat "), "no stack trace in the summary: " + summary);
    // the driver's stack trace follows, for weft submit --verbose
    String trace = io.weft.yarn.Diagnostics.trace(u.diagnostic());
    assertTrue(trace != null && trace.contains("at " + Throws.class.getName() + ".main"), u.diagnostic());
    assertFalse(Files.exists(stagingDir), "the last attempt deletes the staging dir");
  }

  @Test
  void missingMainClassFailsNamingTheClass() throws Exception {
    writeLaunch("com.example.NoSuchMain");
    assertEquals(1, newAm().run());
    TestingAmRmClient.Unregistration u = amRm.unregistrations.get(0);
    assertEquals(FinalApplicationStatus.FAILED, u.status());
    assertTrue(u.diagnostic().contains("com.example.NoSuchMain not found"), u.diagnostic());
  }

  @Test
  void shutdownRequestStopsTheDriverWithoutUnregistering() throws Exception {
    writeLaunch(Blocks.class.getName());
    Blocks.started = new CountDownLatch(1);
    Thread rm = new Thread(() -> {
      try {
        if (Blocks.started.await(30, TimeUnit.SECONDS)) {
          amRm.handler().onShutdownRequest();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    ApplicationMaster am = newAm();
    rm.start();
    assertEquals(1, am.run());
    rm.join();
    assertTrue(amRm.unregistrations.isEmpty(), "the ResourceManager already decided: " + amRm.unregistrations);
    assertTrue(Blocks.interrupted, "the driver thread was interrupted");
    assertEquals(Service.STATE.STOPPED, amRm.getServiceState());
  }

  @Test
  void failedRegistrationEndsWithoutRunningMain() throws Exception {
    writeLaunch(Succeeds.class.getName());
    ApplicationMaster am = new ApplicationMaster(new Configuration(), ENV, workDir, new AmClientFactory() {
      @Override
      public AMRMClientAsync<ContainerRequest> createAmRmClient(int ms, AMRMClientAsync.AbstractCallbackHandler h) {
        amRm = new TestingAmRmClient(ms, h);
        amRm.failRegistration = true;
        return amRm;
      }

      @Override
      public NMClientAsync createNmClient(NMClientAsync.AbstractCallbackHandler h) {
        return nm = new TestingNmClient(h);
      }
    });
    assertEquals(1, am.run());
    assertEquals(null, Succeeds.masterSeen, "main never ran");
    assertEquals(Service.STATE.STOPPED, nm.getServiceState());
  }

  private ApplicationMaster newAm() {
    return new ApplicationMaster(new Configuration(), ENV, workDir, new AmClientFactory() {
      @Override
      public AMRMClientAsync<ContainerRequest> createAmRmClient(int ms, AMRMClientAsync.AbstractCallbackHandler h) {
        return amRm = new TestingAmRmClient(ms, h);
      }

      @Override
      public NMClientAsync createNmClient(NMClientAsync.AbstractCallbackHandler h) {
        return nm = new TestingNmClient(h);
      }
    });
  }

  /** weft.properties as the client writes it, and the staged conf archive the AM describes to executors. */
  private void writeLaunch(String mainClass, String... args) throws IOException {
    writeLaunch(Map.of(), mainClass, args);
  }

  private void writeLaunch(Map<String, String> settings, String mainClass, String... args) throws IOException {
    Properties p = new Properties();
    settings.forEach(p::setProperty);
    p.setProperty("weft.app.name", "am-test-app");
    p.setProperty(YarnConstants.PROP_MAIN_CLASS, mainClass);
    p.setProperty(YarnConstants.PROP_ARG_COUNT, Integer.toString(args.length));
    for (int i = 0; i < args.length; i++) {
      p.setProperty(YarnConstants.PROP_ARG_PREFIX + i, args[i]);
    }
    p.setProperty(YarnConstants.PROP_APP_CLASSPATH, YarnConstants.APP_JAR);
    p.setProperty(YarnConstants.PROP_STAGING_DIR, stagingDir.toUri().toString());
    // on YARN the event log is on by default; keep it out of the module directory
    p.setProperty(UiOptions.EVENT_LOG_DIR.key(), workDir.resolve("eventLogs").toUri().toString());
    Path confDir = Files.createDirectories(workDir.resolve(YarnConstants.CONF_DIR));
    try (OutputStream out = Files.newOutputStream(confDir.resolve(YarnConstants.WEFT_PROPERTIES))) {
      p.store(out, null);
    }
    Files.write(stagingDir.resolve(YarnConstants.CONF_ARCHIVE_FILE), new byte[] {1, 2, 3});
  }

  /** The backend factory the AM bound for the run of main (as WeftContext finds it). */
  static YarnBackendFactory boundFactory() {
    return (YarnBackendFactory) io.weft.cluster.HostedBackend.bound("yarn")
        .orElseThrow(() -> new AssertionError("no backend factory bound while main runs"));
  }

  /** The services of the running AM, as the backend factory bound for main has them. */
  static YarnAmServices amServices() {
    return boundFactory().services();
  }

  /** An application that records what it saw and returns. */
  public static final class Succeeds {
    static volatile String masterSeen;
    static volatile List<String> argsSeen;
    static volatile String pageSeen;
    static volatile YarnAmServices servicesSeen;
    static volatile YarnBackendFactory factorySeen;
    static volatile int requestsSeen = -1;

    public static void main(String[] args) throws Exception {
      masterSeen = System.getProperty("weft.master");
      argsSeen = List.of(args);
      factorySeen = boundFactory();
      servicesSeen = factorySeen.services();
      requestsSeen = ((TestingAmRmClient) servicesSeen.amRmClient()).requests.size();
      String base = ((TestingAmRmClient) servicesSeen.amRmClient()).trackingUrl;
      // the plain status page; the tracking URL itself is the web UI, which fills in with script
      String url = (base.endsWith("/") ? base : base + "/") + "status";
      pageSeen = HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  /**
   * An application that posts task events to the AM's status listener, as the driver's listener
   * bus does, and reads the progress the AMRM client would send on its next heartbeat.
   */
  public static final class ReportsProgress {
    static volatile float before = -1;
    static volatile float during = -1;
    static volatile float afterNewStage = -1;
    static volatile int heartbeatMs = -1;

    public static void main(String[] args) {
      YarnAmServices services = amServices();
      TestingAmRmClient rm = (TestingAmRmClient) services.amRmClient();
      heartbeatMs = rm.heartbeatMs();
      WeftListener bus = services.statusListener();
      before = rm.handler().getProgress();
      bus.onEvent(new ListenerEvent.StageSubmitted(0, 0, "map", 8, 0));
      for (int task = 0; task < 3; task++) {
        bus.onEvent(new ListenerEvent.TaskEnded(0, 0, task, task, "1", true, null, null, 0, null));
      }
      during = rm.handler().getProgress();
      bus.onEvent(new ListenerEvent.StageSubmitted(1, 0, "reduce", 8, 0));
      afterNewStage = rm.handler().getProgress();
    }
  }

  /** An application that runs a shuffle job with weft.master=yarn, as submitted with in-AM mode on. */
  public static final class RunsInAm {
    static volatile Map<Integer, Integer> sums;
    static volatile int requestsDuringJob = -1;
    static volatile int parallelism = -1;
    static volatile int heartbeatMs = -1;
    static volatile String progressLine;

    public static void main(String[] args) {
      TestingAmRmClient rm = (TestingAmRmClient) amServices().amRmClient();
      heartbeatMs = rm.heartbeatMs();
      List<Integer> numbers = new java.util.ArrayList<>();
      for (int i = 0; i < 100; i++) {
        numbers.add(i);
      }
      try (io.weft.WeftContext ctx = io.weft.WeftContext.create(new io.weft.WeftConf())) {
        parallelism = ctx.defaultParallelism();
        sums = ctx.parallelize(numbers, 4).mapToPair(i -> new io.weft.Pair<>(i % 7, i))
            .reduceByKey(Integer::sum).collectAsMap();
        requestsDuringJob = rm.requests.size();
        progressLine = ((AmStatus) amServices().statusListener()).progressText();
      }
    }
  }

  /** An application whose input is missing. */
  public static final class Throws {
    public static void main(String[] args) {
      throw new IllegalStateException("input /data/missing does not exist",
          new java.io.FileNotFoundException("hdfs://nn/data/missing: no such file"));
    }
  }

  /** An application that runs until interrupted. */
  public static final class Blocks {
    static volatile CountDownLatch started;
    static volatile boolean interrupted;

    public static void main(String[] args) {
      started.countDown();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
  }
}
