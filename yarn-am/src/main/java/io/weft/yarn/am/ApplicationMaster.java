package io.weft.yarn.am;

import io.weft.WeftConf;
import io.weft.config.FaultToleranceOptions;
import io.weft.ui.AccessControl;
import io.weft.yarn.AppSecret;
import io.weft.yarn.YarnConstants;
import io.weft.yarn.YarnOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.service.Service;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.hadoop.yarn.api.ApplicationConstants.Environment;
import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterResponse;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.apache.hadoop.yarn.api.records.URL;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ApplicationMaster of a Weft application: a thin lifecycle shell around the driver.
 *
 * <ol>
 *   <li>Reads the application secret from this container's credentials and the launch details
 *       from {@code __weft_conf__/weft.properties}; starts the status page (the tracking URL).
 *   <li>Starts the YARN clients (from an injected {@link AmClientFactory}) and registers with the
 *       ResourceManager, asks for the executor containers at once (the driver's backend adopts
 *       those requests), then makes the YARN cluster backend's factory over its
 *       {@link YarnAmServices} ({@link YarnBackendFactory}). With
 *       {@code weft.yarn.inAm.mode=on} it asks for none: the tasks run in this JVM
 *       ({@link InAmBackend}), and the final diagnostics say so ({@link #RAN_IN_AM}).
 *   <li>Runs the application's {@code main} on a driver thread ({@link DriverRunner}), which the
 *       factory is bound to, and waits for it, or for the ResourceManager to ask for a shutdown.
 *   <li>Unregisters: SUCCEEDED when main returned, FAILED with a diagnostic naming the cause when
 *       it threw (or could not be run); deletes the staging directory (unless
 *       {@code weft.yarn.preserveStagingFiles}, or a later attempt still needs it; a shutdown
 *       hook does the same when YARN kills the application); stops the clients.
 * </ol>
 *
 * <p>Threading: {@link #run} runs on the caller's thread and blocks until the application ends;
 * YARN callbacks only complete {@code stopRequest} or go to listeners ({@link AmCallbacks}).
 * Failure: nothing escapes {@link #run}; a failure before registration is logged (it ends in
 * the container's stderr, which YARN shows as the attempt's diagnostics) and returns 1. Only
 * {@link #main} calls {@code System.exit}.
 */
public final class ApplicationMaster {
  private static final Logger LOG = LoggerFactory.getLogger(ApplicationMaster.class);

  /** How long a driver gets to notice an interrupt before the AM ends without it. */
  private static final long DRIVER_STOP_WAIT_MS = 10_000;

  /** The final diagnostics of an application that succeeded inside the AM (weft.yarn.inAm.mode=on). */
  public static final String RAN_IN_AM = "Ran inside the ApplicationMaster (weft.yarn.inAm.mode=on): "
      + "no executor containers";

  private final Configuration hadoopConf;
  private final Map<String, String> env;
  private final Path workDir;
  private final AmClientFactory clients;
  private final CompletableFuture<AmCallbacks.Stop> stopRequest = new CompletableFuture<>();
  /** The staging directory's file system, being opened since the start ({@link #openStagingFileSystem}). */
  private CompletableFuture<FileSystem> stagingFs;

  /**
   * @param env the container's environment ({@code CONTAINER_ID}, {@code NM_HOST})
   * @param workDir the container's working directory, where resources are localized
   */
  public ApplicationMaster(Configuration hadoopConf, Map<String, String> env, Path workDir, AmClientFactory clients) {
    this.hadoopConf = hadoopConf;
    this.env = env;
    this.workDir = workDir;
    this.clients = clients;
  }

  public static void main(String[] args) {
    int rc;
    try {
      rc = new ApplicationMaster(new YarnConfiguration(), System.getenv(), Path.of("").toAbsolutePath(),
          AmClientFactory.YARN).run();
    } catch (Throwable t) { // the last line of defence: say why in the container's log
      LOG.error("ApplicationMaster failed", t);
      rc = 1;
    }
    System.exit(rc);
  }

  /** Runs the whole lifecycle; returns 0 when the application succeeded. */
  public int run() {
    ApplicationAttemptId attemptId;
    LaunchDetails launch;
    byte[] secret;
    Credentials credentials;
    try {
      attemptId = attemptId(env);
      launch = LaunchDetails.load(workDir.resolve(YarnConstants.CONF_DIR).resolve(YarnConstants.WEFT_PROPERTIES));
      credentials = UserGroupInformation.getCurrentUser().getCredentials();
      secret = AppSecret.readFrom(credentials);
    } catch (IOException | RuntimeException e) {
      LOG.error("ApplicationMaster cannot start: {}", e.getMessage(), e);
      return 1;
    }
    LOG.info("ApplicationMaster {} starting {}", attemptId, launch.mainClass());
    stagingFs = openStagingFileSystem(launch);
    AmStatus status = YarnOptions.runsInAm(launch.conf()) ? AmStatus.inAm(launch.conf().appName())
        : new AmStatus(launch.conf().appName(), launch.conf().get(YarnOptions.EXECUTOR_INSTANCES));
    try (StatusServer http = StatusServer.start(status, host(),
        AmIpFilter.fromConf(hadoopConf, attemptId.getApplicationId().toString()), aclFilter(launch))) {
      return runRegistered(attemptId, launch, secret, credentials, status, http);
    } catch (IOException e) {
      LOG.error("ApplicationMaster cannot start its status page: {}", e.getMessage(), e);
      return 1;
    }
  }

  /** The view-ACL check of the web UI, or null when weft.acls.enable is off. */
  private AclFilter aclFilter(LaunchDetails launch) {
    AccessControl acls = AccessControl.fromConf(launch.conf(), owner());
    if (!acls.enabled()) {
      return null;
    }
    LOG.info("ACLs on: the web UI admits {}", acls.describeView());
    return new AclFilter(acls, AclFilter.hadoopGroups(hadoopConf));
  }

  /** The submitting user: YARN puts it into every container's USER; else this process's user. */
  private String owner() {
    String user = env.get(Environment.USER.name());
    if (user != null && !user.isEmpty()) {
      return user;
    }
    try {
      return UserGroupInformation.getCurrentUser().getShortUserName();
    } catch (IOException e) {
      return System.getProperty("user.name");
    }
  }

  private int runRegistered(ApplicationAttemptId attemptId, LaunchDetails launch, byte[] secret,
      Credentials credentials, AmStatus status, StatusServer http) {
    AmCallbacks callbacks = new AmCallbacks(stopRequest::complete, status::progress);
    // fast from the start: the executors are asked for right after registration, and the
    // provisioner slows the heartbeat once they are granted (YarnContainerProvisioner); an AM
    // that runs the tasks itself asks for nothing, so it heartbeats at the idle pace
    boolean inAm = YarnOptions.runsInAm(launch.conf());
    int heartbeatMs = launch.conf().get(inAm ? YarnOptions.AM_HEARTBEAT_INTERVAL
        : YarnOptions.AM_HEARTBEAT_INITIAL_INTERVAL).intValue();
    AMRMClientAsync<ContainerRequest> amRm = clients.createAmRmClient(heartbeatMs, callbacks.amRm);
    NMClientAsync nm = clients.createNmClient(callbacks.nm);
    Runnable signalCleanup = null;
    TokenRefresher refresher = null;
    YarnBackendFactory backends = null;
    try {
      amRm.init(hadoopConf);
      amRm.start();
      nm.init(hadoopConf);
      nm.start();
      RegisterApplicationMasterResponse registration;
      try {
        registration = amRm.registerApplicationMaster(host(), http.port(), http.url());
      } catch (YarnException | IOException e) {
        LOG.error("Registration with the ResourceManager failed: {}", e.getMessage(), e);
        return 1;
      }
      LOG.info("Registered with the ResourceManager; tracking URL {}", http.url());
      org.apache.hadoop.fs.Path stagingDir = new org.apache.hadoop.fs.Path(launch.stagingDir());
      signalCleanup = stagingCleanupOnSignal(launch, attemptId, stagingDir);
      RunningAmServices services = new RunningAmServices(attemptId, hadoopConf, launch.conf(), secret,
          credentials, amRm, nm, registration, stagingDir, executorResources(launch, stagingDir),
          launch.appClassPath(), callbacks, status, new AtomicReference<>());
      refresher = TokenRefresher.startIfKeytab(hadoopConf, launch.conf(), credentials, workDir,
          callbacks::credentialsRefreshed);
      if (inAm) {
        LOG.info("Running the application's tasks inside this ApplicationMaster ({}=on): "
            + "no executor containers", YarnOptions.IN_AM_MODE.key());
      } else {
        requestExecutorsEarly(services, launch);
      }
      backends = new YarnBackendFactory(services);
      Ending ending = runDriver(launch, services, backends, status);
      // no context may start a backend on the clients from here: they are stopped below
      backends.retire();
      YarnContainerProvisioner unused = services.earlyProvisioner().getAndSet(null);
      if (unused != null) { // main never started a context: give back what it was granted
        unused.stop();
      }
      finish(amRm, ending, status, http, launch, attemptId, stagingDir);
      return ending.outcome().succeeded() ? 0 : 1;
    } catch (IOException | RuntimeException e) {
      // after registration: tell the ResourceManager why, so the user sees it
      String diagnostic = "ApplicationMaster failed: " + io.weft.yarn.Diagnostics.describe(e);
      LOG.error(diagnostic, e);
      unregister(amRm, FinalApplicationStatus.FAILED, diagnostic, http.url());
      return 1;
    } finally {
      if (refresher != null) {
        refresher.close();
      }
      if (signalCleanup != null) {
        ShutdownHookManager.get().removeShutdownHook(signalCleanup);
      }
      if (backends != null) {
        backends.retire();
      }
      stopQuietly(nm);
      stopQuietly(amRm);
    }
  }

  /**
   * Asks YARN for the submitted executor containers now, before the user's main runs, so they are
   * allocated while the driver starts; the driver's YARN backend adopts the provisioner
   * ({@link YarnAmServices#takeEarlyProvisioner}).
   */
  private static void requestExecutorsEarly(RunningAmServices services, LaunchDetails launch) {
    YarnContainerProvisioner early = new YarnContainerProvisioner(services, launch.conf());
    services.earlyProvisioner().set(early);
    early.requestExecutors();
  }

  /** How the application ended, and whether the AM still owes the ResourceManager an unregister. */
  private record Ending(DriverRunner.Outcome outcome, boolean unregister) {}

  private Ending runDriver(LaunchDetails launch, RunningAmServices services, YarnBackendFactory backends,
      AmStatus status) {
    status.setState(AmStatus.State.RUNNING, null);
    DriverRunner driver = new DriverRunner(withRecovery(launch, services), workDir,
        Map.of(io.weft.config.UiOptions.APP_ID.key(), services.attemptId().getApplicationId().toString()), backends);
    CompletableFuture<DriverRunner.Outcome> done = driver.start();
    Object first = CompletableFuture.anyOf(done, stopRequest).join();
    if (first instanceof DriverRunner.Outcome outcome) {
      return new Ending(outcome, true);
    }
    AmCallbacks.Stop stop = (AmCallbacks.Stop) first;
    LOG.warn("Stopping the driver: {}", stop.reason());
    driver.interrupt();
    try {
      done.get(DRIVER_STOP_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("The driver did not stop within {} ms; ending without it", DRIVER_STOP_WAIT_MS);
    } catch (Exception e) {
      // its outcome no longer matters: the stop reason is the diagnostic
    }
    return new Ending(DriverRunner.Outcome.failure("Application stopped: " + stop.reason()), !stop.rmInitiated());
  }

  /**
   * The launch details the driver runs with: the submitted ones plus which attempt this is and
   * where its recovery journal lives (the staging directory, which outlives a failed attempt that
   * YARN retries), so a later attempt resumes (io.weft.recovery.DriverRecovery).
   */
  static LaunchDetails withRecovery(LaunchDetails launch, RunningAmServices services) {
    WeftConf conf = launch.conf();
    conf.set(FaultToleranceOptions.RECOVERY_ATTEMPT.key(), Integer.toString(services.attemptId().getAttemptId()));
    conf.set(FaultToleranceOptions.RECOVERY_JOURNAL_DIR.key(),
        new org.apache.hadoop.fs.Path(services.stagingDir(), YarnConstants.JOURNAL_DIR).toString());
    return new LaunchDetails(conf, launch.mainClass(), launch.args(), launch.appClassPath(), launch.stagingDir(),
        launch.resources());
  }

  private void finish(AMRMClientAsync<ContainerRequest> amRm, Ending ending, AmStatus status,
      StatusServer http, LaunchDetails launch, ApplicationAttemptId attemptId, org.apache.hadoop.fs.Path stagingDir) {
    DriverRunner.Outcome outcome = ending.outcome();
    status.setState(outcome.succeeded() ? AmStatus.State.SUCCEEDED : AmStatus.State.FAILED, outcome.diagnostic());
    if (ending.unregister()) {
      // an application that ran inside the AM says so: weft submit prints the final diagnostics
      String diagnostic = outcome.succeeded() && YarnOptions.runsInAm(launch.conf()) ? RAN_IN_AM
          : outcome.diagnostic();
      unregister(amRm, outcome.succeeded() ? FinalApplicationStatus.SUCCEEDED : FinalApplicationStatus.FAILED,
          status.withTaskLocality(diagnostic), finalTrackingUrl(launch, attemptId, http));
    }
    boolean preserve = launch.conf().get(YarnOptions.PRESERVE_STAGING_FILES);
    // A failed attempt that YARN will retry still needs the staged files (and the journal); one
    // that unregistered is never retried.
    if (!preserve && (outcome.succeeded() || ending.unregister() || isLastAttempt(attemptId, launch))) {
      deleteStagingDir(stagingDir);
    }
  }

  /**
   * Installs what deletes the staging directory when this JVM is stopped from outside (YARN kills
   * the application: SIGTERM) before {@link #finish} could, under the same rule as a failure
   * (unless preserved, and only on the last attempt). It runs before Hadoop's own hook closes the
   * file systems. Removed again when the AM ends normally.
   */
  private Runnable stagingCleanupOnSignal(LaunchDetails launch, ApplicationAttemptId attemptId,
      org.apache.hadoop.fs.Path stagingDir) {
    if (launch.conf().get(YarnOptions.PRESERVE_STAGING_FILES) || !isLastAttempt(attemptId, launch)) {
      return null;
    }
    Runnable hook = () -> {
      LOG.warn("ApplicationMaster stopped from outside (killed?); deleting the staging directory");
      deleteStagingDir(stagingDir);
    };
    ShutdownHookManager.get().addShutdownHook(hook, FileSystem.SHUTDOWN_HOOK_PRIORITY + 20);
    return hook;
  }

  private void unregister(AMRMClientAsync<ContainerRequest> amRm, FinalApplicationStatus finalStatus,
      String diagnostic, String trackingUrl) {
    // the moment the application's end starts, for anyone timing it (bin/weft bench --yarn): the
    // ResourceManager reports the end to the client before the call below returns
    LOG.info("Unregistering: {}", finalStatus);
    try {
      amRm.unregisterApplicationMaster(finalStatus, diagnostic, trackingUrl);
      LOG.info("Unregistered: {}{}", finalStatus, diagnostic.isEmpty() ? "" : " (" + diagnostic + ")");
    } catch (YarnException | IOException | RuntimeException e) {
      LOG.error("Unregistering ({}) failed: {}", finalStatus, e.toString());
    }
  }

  /**
   * Where the ResourceManager links once the application ended: the history server's page of it
   * when weft.yarn.historyServer.address is set (the AM's own page dies with it), else the AM's URL.
   */
  static String finalTrackingUrl(LaunchDetails launch, ApplicationAttemptId attemptId, StatusServer http) {
    String history = launch.conf().get(YarnOptions.HISTORY_SERVER_ADDRESS);
    if (history == null || history.isBlank()) {
      return http.url();
    }
    String base = history.contains("://") ? history : "http://" + history;
    return base.replaceAll("/+$", "") + "/history/" + attemptId.getApplicationId() + "/";
  }

  private boolean isLastAttempt(ApplicationAttemptId attemptId, LaunchDetails launch) {
    int max = Math.min(launch.conf().get(YarnOptions.MAX_APP_ATTEMPTS),
        hadoopConf.getInt(YarnConfiguration.RM_AM_MAX_ATTEMPTS, YarnConfiguration.DEFAULT_RM_AM_MAX_ATTEMPTS));
    return attemptId.getAttemptId() >= max;
  }

  private void deleteStagingDir(org.apache.hadoop.fs.Path dir) {
    try {
      if (dir.getFileSystem(hadoopConf).delete(dir, true)) {
        LOG.info("Deleted staging directory {}", dir);
      }
    } catch (IOException e) {
      LOG.warn("Could not delete staging directory {}: {}", dir, e.toString());
    }
  }

  /**
   * The staging directory's file system, opened on another thread while the AM registers: it is
   * first needed right after registration, for the executors' resources, and creating an HDFS client
   * in a fresh JVM (class loading, mostly) took about as long as registering.
   */
  private CompletableFuture<FileSystem> openStagingFileSystem(LaunchDetails launch) {
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(launch.stagingDir());
    return CompletableFuture.supplyAsync(() -> {
      try {
        return dir.getFileSystem(hadoopConf);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /**
   * The client's resources plus the configuration archive, which cannot describe itself in
   * weft.properties (its size and timestamp exist only once it is written): it is read back here.
   */
  private Map<String, LocalResource> executorResources(LaunchDetails launch, org.apache.hadoop.fs.Path stagingDir)
      throws IOException {
    Map<String, LocalResource> resources = new LinkedHashMap<>(launch.resources());
    org.apache.hadoop.fs.Path archive = new org.apache.hadoop.fs.Path(stagingDir, YarnConstants.CONF_ARCHIVE_FILE);
    FileSystem fs = stagingFs != null ? joinStagingFs() : archive.getFileSystem(hadoopConf);
    FileStatus st = fs.getFileStatus(archive);
    resources.put(YarnConstants.CONF_DIR, LocalResource.newInstance(URL.fromPath(fs.makeQualified(archive)),
        LocalResourceType.ARCHIVE, LocalResourceVisibility.APPLICATION, st.getLen(), st.getModificationTime()));
    return resources;
  }

  private FileSystem joinStagingFs() throws IOException {
    try {
      return stagingFs.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof java.io.UncheckedIOException u) {
        throw u.getCause();
      }
      throw e;
    }
  }

  static ApplicationAttemptId attemptId(Map<String, String> env) {
    String containerId = env.get(Environment.CONTAINER_ID.name());
    if (containerId == null) {
      throw new IllegalStateException("CONTAINER_ID is not set: the ApplicationMaster runs only in a YARN container");
    }
    return ContainerId.fromString(containerId).getApplicationAttemptId();
  }

  private String host() {
    String nmHost = env.get(Environment.NM_HOST.name());
    if (nmHost != null && !nmHost.isEmpty()) {
      return nmHost;
    }
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static void stopQuietly(Service service) {
    try {
      service.stop();
    } catch (RuntimeException e) {
      LOG.warn("Stopping {} failed: {}", service.getName(), e.toString());
    }
  }
}
