package io.weft.yarn.client;

import io.weft.WeftConf;
import io.weft.config.CoreOptions;
import io.weft.yarn.AppSecret;
import io.weft.yarn.security.KerberosLogin;
import io.weft.yarn.ContainerSizes;
import io.weft.yarn.Diagnostics;
import io.weft.yarn.StagedResources;
import io.weft.yarn.JvmStart;
import io.weft.yarn.YarnConstants;
import io.weft.yarn.YarnOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits a Weft application to YARN and follows it: the Java API behind
 * {@code weft submit --master yarn}, {@code weft status} and {@code weft kill}. It never calls
 * {@code System.exit}; every entry point returns an exit code, so a workflow scheduler can run
 * it in-process.
 *
 * <p>{@link #submit} validates (settings, inputs, the main class in the application's jars, that
 * the ResourceManager answers within {@code weft.yarn.connect.timeout}, container sizes against
 * the scheduler's maximum allocation) before anything is uploaded or submitted, resolves
 * {@code weft.yarn.inAm.mode} ({@link InAmDecision}: whether the tasks run inside the
 * ApplicationMaster, which sizes its container), then stages the files
 * ({@link ApplicationResources}: Weft's runtime as the shared {@link RuntimeArchive}, uploaded
 * once per Weft build; {@link ConfArchive}), prints whether the runtime was uploaded or reused, puts a fresh application secret into the
 * ApplicationMaster's credentials only, builds the launch context ({@link AmLaunchContext}) and
 * submits. {@link #awaitCompletion} follows the application ({@link ApplicationMonitor}) and
 * removes the staging directory when it ends, also when the ApplicationMaster never ran.
 *
 * <p>Threading: one caller at a time. Failure: bad input is an {@link IllegalArgumentException}
 * with one clear message, and nothing is submitted; cluster errors are {@link IOException}s; a
 * failed application is a non-zero exit code with its diagnostics printed on {@code err}.
 */
public final class YarnSubmitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(YarnSubmitter.class);

  /** YARN's application type for Weft, shown in the ResourceManager UI and usable as a filter. */
  public static final String APPLICATION_TYPE = "WEFT";

  private final Configuration hadoopConf;
  private final YarnClient yarn;
  private final PrintStream out;
  private final PrintStream err;
  private final SecureRandom random = new SecureRandom();
  private boolean verbose;

  /** A submitter talking to the ResourceManager {@code hadoopConf} names. */
  public YarnSubmitter(Configuration hadoopConf, PrintStream out, PrintStream err) {
    this.hadoopConf = new Configuration(hadoopConf);
    this.out = out;
    this.err = err;
    this.yarn = YarnClient.createYarnClient();
    yarn.init(this.hadoopConf);
    yarn.start();
  }

  /** With {@code true}, a failed application's driver stack trace is printed too ({@code --verbose}). */
  public YarnSubmitter verbose(boolean printStackTraces) {
    this.verbose = printStackTraces;
    return this;
  }

  /** Submits {@code s} and, unless {@code weft.yarn.submit.waitAppCompletion=false}, waits for it. */
  public int run(YarnSubmission s) throws IOException {
    ApplicationId appId = submit(s);
    WeftConf conf = s.conf();
    if (!conf.get(YarnOptions.WAIT_APP_COMPLETION)) {
      out.println(appId + " submitted; not waiting for it (" + YarnOptions.WAIT_APP_COMPLETION.key() + "=false)");
      return 0;
    }
    return awaitCompletion(appId, conf);
  }

  /**
   * Validates, stages and submits {@code s}; returns its id once the ResourceManager has it. On a
   * Kerberized cluster this runs as the user of {@code weft.yarn.principal}/{@code weft.yarn.keytab}
   * or of the ticket cache ({@link KerberosLogin}).
   */
  public ApplicationId submit(YarnSubmission s) throws IOException {
    UserGroupInformation user = KerberosLogin.login(s.conf());
    try {
      return user.doAs((java.security.PrivilegedExceptionAction<ApplicationId>) () -> submitAs(s));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while submitting", e);
    }
  }

  private ApplicationId submitAs(YarnSubmission s) throws IOException {
    WeftConf conf = s.conf();
    conf.validate();
    ApplicationResources.checkInputs(s, conf, hadoopConf);
    MainClassCheck.check(s.mainClass(), s.appJar(), s.jars());
    // fail in seconds, naming the address, rather than retry a wrong or stopped RM for minutes
    ClusterConnection.check(hadoopConf, conf.get(YarnOptions.CONNECT_TIMEOUT));
    // before the sizes: an application that runs inside the AM gets a bigger AM container
    InAmDecision.Resolved inAm = InAmDecision.resolve(conf, s.appArgs(), hadoopConf);
    conf.set(YarnOptions.IN_AM_MODE, inAm.mode());
    if (inAm.note() != null) {
      out.println(inAm.note());
    }
    YarnClientApplication app = call(yarn::createApplication);
    Resource max = app.getNewApplicationResponse().getMaximumResourceCapability();
    ContainerSizes sizes = SubmissionValidator.checkResources(conf, max);
    ApplicationId appId = app.getApplicationSubmissionContext().getApplicationId();
    StagingArea area = StagingArea.create(FileSystem.get(hadoopConf), appId);
    try {
      ContainerLaunchContext launch = stageAndBuildLaunchContext(s, conf, sizes, area);
      ApplicationSubmissionContext ctx = app.getApplicationSubmissionContext();
      describe(ctx, conf, sizes);
      int attempts = maxAppAttempts(conf, hadoopConf);
      ctx.setMaxAppAttempts(attempts);
      // a later attempt adopts the executors that outlived the AM (and their shuffle files)
      ctx.setKeepContainersAcrossApplicationAttempts(attempts > 1);
      ctx.setAMContainerSpec(launch);
      call(() -> yarn.submitApplication(ctx));
    } catch (IOException | RuntimeException e) {
      area.delete(); // nothing was submitted, or YARN refused it: nobody else will clean up
      throw e;
    }
    out.println("Submitted " + appId + " (" + conf.appName() + ") to queue " + conf.get(YarnOptions.QUEUE)
        + "; staging directory " + area.dir());
    return appId;
  }

  /**
   * Follows {@code appId} until it ends; returns 0 only if it FINISHED and SUCCEEDED, else 1 with
   * the diagnostics on {@code err}. Removes the staging directory unless
   * {@code weft.yarn.preserveStagingFiles}.
   */
  public int awaitCompletion(ApplicationId appId, WeftConf conf) throws IOException {
    ApplicationReport report;
    try (InterruptNotice notice = InterruptNotice.install(appId, conf.get(YarnOptions.KILL_ON_INTERRUPT),
        id -> yarn.killApplication(id, "weft submit was interrupted (weft.yarn.killOnInterrupt)"), err)) {
      report = new ApplicationMonitor(yarn, out, conf.get(YarnOptions.REPORT_INTERVAL)).awaitEnd(appId);
    }
    if (!conf.get(YarnOptions.PRESERVE_STAGING_FILES)) {
      // The ApplicationMaster deletes it when it ends normally; a rejected or killed application
      // never ran one, so the client makes sure.
      StagingArea.existing(FileSystem.get(hadoopConf), appId).delete();
    }
    int rc = ApplicationMonitor.exitCode(report);
    if (rc == 0) {
      out.println(appId + " succeeded");
    } else {
      reportFailure(report, verbose, err);
    }
    return rc;
  }

  /**
   * What a user reads when an application failed: its end state and diagnostics, with
   * {@code verbose} the driver's stack trace (which the ApplicationMaster put after the
   * diagnostics' summary), and the command that prints its logs.
   */
  static void reportFailure(ApplicationReport report, boolean verbose, PrintStream err) {
    ApplicationId appId = report.getApplicationId();
    err.println("Application " + appId + " ended " + report.getYarnApplicationState() + "/"
        + report.getFinalApplicationStatus() + ApplicationMonitor.describeDiagnostics(report));
    String trace = report.getDiagnostics() == null ? null : Diagnostics.trace(report.getDiagnostics());
    if (verbose && trace != null) {
      err.println("Stack trace of the driver (from the ApplicationMaster):\n" + trace);
    }
    err.println("Its logs (driver and executors): weft logs " + appId
        + (verbose || trace == null ? "" : "   (weft submit --verbose also prints the driver's stack trace)"));
  }

  /** Prints {@code appId}'s state; returns 0 if the ResourceManager knows it. */
  public int status(ApplicationId appId) throws IOException {
    ApplicationReport r = report(appId);
    out.println("Application: " + r.getApplicationId() + " (" + r.getName() + ", " + r.getApplicationType() + ")");
    out.println("User/queue:  " + r.getUser() + " / " + r.getQueue());
    out.println("State:       " + r.getYarnApplicationState() + ", final status " + r.getFinalApplicationStatus());
    out.println("Progress:    " + Math.round(r.getProgress() * 100) + "%");
    out.println("Tracking:    " + r.getTrackingUrl());
    if (r.getDiagnostics() != null && !r.getDiagnostics().isBlank()) {
      out.println("Diagnostics: " + Diagnostics.summary(r.getDiagnostics()).strip());
    }
    return 0;
  }

  /**
   * Asks the ResourceManager to kill {@code appId}, waits (bounded) until it is KILLED, and
   * removes its staging directory if its ApplicationMaster did not (it never ran, or YARN's kill
   * was faster than its shutdown hook) and the application did not ask to keep it. Returns 0 if
   * it was killed or had ended already.
   */
  public int kill(ApplicationId appId) throws IOException {
    ApplicationReport r = report(appId);
    if (ApplicationMonitor.TERMINAL.contains(r.getYarnApplicationState())) {
      out.println(appId + " has already ended: " + r.getYarnApplicationState());
      return 0;
    }
    call(() -> {
      yarn.killApplication(appId, "killed by weft kill");
      return null;
    });
    out.println("Killed " + appId);
    if (awaitEnd(appId, KILL_WAIT_MS)) {
      removeStagingAfterKill(appId);
    } else {
      err.println(appId + " was not KILLED within " + KILL_WAIT_MS + " ms; its staging directory "
          + StagingArea.pathFor(FileSystem.get(hadoopConf), appId) + " may remain");
    }
    return 0;
  }

  /** How long {@link #kill} waits for the KILLED state. */
  private static final long KILL_WAIT_MS = 30_000;

  private boolean awaitEnd(ApplicationId appId, long timeoutMs) throws IOException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (System.nanoTime() < deadline) {
      if (ApplicationMonitor.TERMINAL.contains(report(appId).getYarnApplicationState())) {
        return true;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private void removeStagingAfterKill(ApplicationId appId) throws IOException {
    FileSystem fs = FileSystem.get(hadoopConf);
    org.apache.hadoop.fs.Path dir = StagingArea.pathFor(fs, appId);
    if (!fs.exists(dir)) {
      return;
    }
    if (ConfArchive.preservesStaging(fs, new org.apache.hadoop.fs.Path(dir, YarnConstants.CONF_ARCHIVE_FILE))) {
      out.println("Kept its staging directory " + dir + " (" + YarnOptions.PRESERVE_STAGING_FILES.key() + ")");
      return;
    }
    if (StagingArea.existing(fs, appId).delete()) {
      out.println("Removed its staging directory " + dir);
    }
  }

  @Override
  public void close() {
    yarn.stop();
  }

  private ApplicationReport report(ApplicationId appId) throws IOException {
    try {
      return yarn.getApplicationReport(appId);
    } catch (ApplicationNotFoundException e) {
      throw new IllegalArgumentException("the ResourceManager does not know " + appId);
    } catch (YarnException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private ContainerLaunchContext stageAndBuildLaunchContext(YarnSubmission s, WeftConf conf,
      ContainerSizes sizes, StagingArea area) throws IOException {
    ApplicationResources.Staged staged = ApplicationResources.stage(s, conf, area, hadoopConf);
    if (staged.runtimeNote() != null) {
      out.println(staged.runtimeNote());
    }
    Map<String, LocalResource> resources = new LinkedHashMap<>(staged.resources());
    Properties props = launchProperties(s, conf, staged, area);
    SecureSubmission.stageKeytab(conf, area, hadoopConf, resources, props);
    resources.put(YarnConstants.CONF_DIR, area.write(YarnConstants.CONF_ARCHIVE_FILE,
        ConfArchive.build(hadoopConf, props), LocalResourceType.ARCHIVE));
    // Weft's JVM flags, then weft.am.extraJavaOptions, which win
    ContainerLaunchContext launch = AmLaunchContext.build(resources, sizes,
        JvmStart.javaOptions(conf, JvmStart.Role.APPLICATION_MASTER, staged.cds()),
        staged.runtimeJars(), hadoopConf,
        SecureSubmission.amCredentials(hadoopConf, conf, AppSecret.generate(random)));
    // weft.acls.* as YARN's VIEW_APP / MODIFY_APP, so yarn application -kill and logs follow them
    launch.setApplicationACLs(AmLaunchContext.applicationAcls(conf,
        UserGroupInformation.getCurrentUser().getShortUserName()));
    return launch;
  }

  /** weft.properties: the settings (master forced to yarn) and how to launch the application. */
  static Properties launchProperties(YarnSubmission s, WeftConf conf, ApplicationResources.Staged staged,
      StagingArea area) {
    Properties props = new Properties();
    conf.getAll().forEach(props::setProperty);
    props.setProperty(CoreOptions.MASTER.key(), "yarn");
    props.setProperty(YarnConstants.PROP_MAIN_CLASS, s.mainClass());
    props.setProperty(YarnConstants.PROP_ARG_COUNT, Integer.toString(s.appArgs().size()));
    for (int i = 0; i < s.appArgs().size(); i++) {
      props.setProperty(YarnConstants.PROP_ARG_PREFIX + i, s.appArgs().get(i));
    }
    props.setProperty(YarnConstants.PROP_APP_CLASSPATH, String.join(",", staged.appClassPath()));
    props.setProperty(YarnConstants.PROP_STAGING_DIR, area.dir().toString());
    StagedResources.write(staged.resources(), props);
    return props;
  }

  /** The ApplicationMaster's credentials with default settings ({@link SecureSubmission#amCredentials}). */
  static Credentials amCredentials(Configuration hadoopConf, byte[] secret) throws IOException {
    return SecureSubmission.amCredentials(hadoopConf, new WeftConf(false), secret);
  }

  static void describe(ApplicationSubmissionContext ctx, WeftConf conf, ContainerSizes sizes) {
    ctx.setApplicationName(conf.appName());
    ctx.setApplicationType(APPLICATION_TYPE);
    ctx.setQueue(conf.get(YarnOptions.QUEUE));
    // YARN cancels the tokens it renewed once the application ends (after log aggregation)
    ctx.setCancelTokensWhenComplete(conf.get(YarnOptions.SECURITY_TOKENS_CANCEL_AT_END));
    ctx.setResource(Resource.newInstance(sizes.amContainerMb(), sizes.amCores()));
    if (!YarnOptions.tags(conf).isEmpty()) {
      ctx.setApplicationTags(YarnOptions.tags(conf));
    }
    Integer priority = conf.get(YarnOptions.PRIORITY);
    if (priority != null) {
      ctx.setPriority(Priority.newInstance(priority));
    }
    LOG.debug("ApplicationMaster container: {} MB, {} vcores", sizes.amContainerMb(), sizes.amCores());
  }

  /**
   * weft.yarn.maxAppAttempts, capped by the ResourceManager's yarn.resourcemanager.am.max-attempts
   * as this client's configuration states it (the RM would cap it too, silently): said in the log
   * so a user who asked for more knows why there are fewer.
   */
  static int maxAppAttempts(WeftConf conf, Configuration hadoopConf) {
    int asked = conf.get(YarnOptions.MAX_APP_ATTEMPTS);
    int rmMax = hadoopConf.getInt(YarnConfiguration.RM_AM_MAX_ATTEMPTS, YarnConfiguration.DEFAULT_RM_AM_MAX_ATTEMPTS);
    if (rmMax >= 1 && asked > rmMax) {
      LOG.info("{}={} capped to {}={}", YarnOptions.MAX_APP_ATTEMPTS.key(), asked,
          YarnConfiguration.RM_AM_MAX_ATTEMPTS, rmMax);
      return rmMax;
    }
    return asked;
  }

  private interface YarnCall<T> {
    T call() throws IOException, YarnException;
  }

  private static <T> T call(YarnCall<T> c) throws IOException {
    try {
      return c.call();
    } catch (YarnException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
