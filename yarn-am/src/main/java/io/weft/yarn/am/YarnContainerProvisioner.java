package io.weft.yarn.am;

import io.weft.WeftConf;
import io.weft.cluster.LocalityDemand;
import io.weft.cluster.RackResolver;
import io.weft.cluster.TopologyRackResolver;
import io.weft.config.ExecutorOptions;
import io.weft.cluster.remote.ExecutorProvisioner;
import io.weft.yarn.ContainerSizes;
import io.weft.yarn.JvmStart;
import io.weft.yarn.YarnConstants;
import io.weft.yarn.YarnOptions;
import io.weft.yarn.executor.YarnExecutorMain;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.ApplicationConstants.Environment;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets executor containers from YARN and starts {@link YarnExecutorMain} in them. It asks for
 * {@code weft.executor.instances} containers of heap + overhead memory, launches each with the
 * application's localized files and its credentials (which carry the secret), and replaces a
 * container that ends while the application runs, up to {@code weft.yarn.maxExecutorFailures}
 * failures (preemption and lost nodes do not count). Past that, when the last executor is gone
 * and no container is pending, the listener hears that none is left, so jobs fail saying why.
 *
 * <p>The ApplicationMaster may ask for the containers before the driver exists
 * ({@link #requestExecutors}, right after registration), so YARN allocates them while the
 * user's {@code main} starts; containers granted before {@link #start} are held and launched as
 * soon as the driver's address is known. The driver's backend then adopts this provisioner if it
 * wants the same containers ({@link #plan}).
 *
 * <p>Containers arrive on AMRM heartbeats, so while a request is pending the provisioner sets the
 * heartbeat to {@code weft.yarn.am.heartbeat.initialInterval}, and back to
 * {@code weft.yarn.am.heartbeat.interval} once every request is granted or withdrawn (Spark's
 * ApplicationMaster does the same); {@link #stop} heartbeats fast too while it waits for the
 * executors' containers to end, since the application's end waits for that news. {@code AMRMClientAsync} applies a new interval after its
 * current sleep, so the ApplicationMaster starts the client at the fast interval: it asks for
 * the executors right after registration.
 *
 * <p>Where to ask: {@link LocalityRequests} places the outstanding requests near the data the
 * scheduler's waiting tasks read (the backend forwards {@link #localityDemandChanged}), re-planned
 * on a thread of its own; the executor count stays {@code weft.executor.instances}, only the
 * placement of containers not yet granted moves.
 *
 * <p>Across ApplicationMaster attempts (weft.yarn.maxAppAttempts above 1, submitted with
 * {@code keepContainersAcrossApplicationAttempts}): the executor containers of an earlier attempt
 * that are still running come back in the registration answer
 * ({@code getContainersFromPreviousAttempts}). They count toward {@code weft.executor.instances},
 * so fewer new containers are asked for, and their executors, which look for the new driver's
 * address ({@link io.weft.yarn.DriverAddressFile}), are adopted when they register again from
 * the same container ({@link #accepts}). One that ends before it returned is replaced. Executors
 * this attempt launches get ids no earlier attempt used ({@code <attempt>.<n>} from attempt 2 on).
 *
 * <p>Threading: YARN client callbacks ({@link YarnEventListener}) and the backend's thread touch
 * the state below under this object's monitor; nothing blocks while holding it.
 */
final class YarnContainerProvisioner implements ExecutorProvisioner, YarnEventListener {
  private static final Logger LOG = LoggerFactory.getLogger(YarnContainerProvisioner.class);
  /** One priority for executor requests (MINICLUSTER notes: one per logical request). */
  private static final Priority EXECUTOR_PRIORITY = Priority.newInstance(1);

  private final YarnAmServices services;
  private final int instances;
  private final ContainerSizes sizes;
  private final int maxFailures;
  private final List<String> javaOptions;
  private final Plan plan;
  private final int pendingHeartbeatMs;
  private final int idleHeartbeatMs;
  private final Map<ContainerId, String> executorOf = new HashMap<>();
  /** Executor containers of earlier attempts whose executors have not registered again (yet). */
  private final Map<ContainerId, Container> previous = new HashMap<>();
  /** This ApplicationMaster attempt (1, 2, ...): part of the ids of the executors it launches. */
  private final int attempt;
  /** Whether executors look for the next attempt's driver when theirs goes away. */
  private final boolean outliveAttempt;
  /** Containers granted before {@link #start}: launched once the driver's address is known. */
  private final List<Container> held = new ArrayList<>();
  private boolean requested;
  private int nextExecutorId = 1;
  private int pendingRequests;
  /** The AMRM heartbeat interval this provisioner last set; 0 before it set one. */
  private int heartbeatMs;
  private int failures;
  private boolean stopping;
  /** {@link #stop} waits for executors to exit, which the ResourceManager reports on heartbeats. */
  private boolean awaitingExits;
  private String driverHost;
  private int driverPort;
  private Listener listener;
  /** Where the outstanding requests ask for containers: near the waiting tasks' data. */
  private final TopologyRackResolver racks;
  private final ExecutorService placementThread;
  private final LocalityRequests requests;
  /** weft.yarn.locality.inputs: where the containers asked for at start go. */
  private final String localityInputs;
  private final YarnHostExclusions exclusions = new YarnHostExclusions();

  YarnContainerProvisioner(YarnAmServices services, WeftConf conf) {
    this.services = services;
    this.plan = plan(conf);
    this.instances = plan.instances();
    this.sizes = plan.sizes();
    this.maxFailures = plan.maxFailures();
    this.javaOptions = plan.javaOptions();
    this.pendingHeartbeatMs = conf.get(YarnOptions.AM_HEARTBEAT_INITIAL_INTERVAL).intValue();
    this.idleHeartbeatMs = conf.get(YarnOptions.AM_HEARTBEAT_INTERVAL).intValue();
    this.localityInputs = conf.get(YarnOptions.LOCALITY_INPUTS);
    this.attempt = services.attemptId().getAttemptId();
    this.outliveAttempt = conf.get(YarnOptions.MAX_APP_ATTEMPTS) > 1;
    if (services.registration() != null && services.registration().getContainersFromPreviousAttempts() != null) {
      for (Container c : services.registration().getContainersFromPreviousAttempts()) {
        previous.put(c.getId(), c);
      }
    }
    this.racks = TopologyRackResolver.from(services.hadoopConf());
    this.placementThread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "weft-container-placement");
      t.setDaemon(true);
      return t;
    });
    this.requests = new LocalityRequests(services.amRmClient(),
        Resource.newInstance(sizes.executorContainerMb(), sizes.executorCores()), EXECUTOR_PRIORITY, racks,
        instances, placementThread);
  }

  /** What a provisioner asks YARN for and launches, from the settings: equal plans, equal containers. */
  record Plan(int instances, ContainerSizes sizes, int maxFailures, List<String> javaOptions, boolean encrypt) {}

  /** The plan {@code conf} describes. */
  static Plan plan(WeftConf conf) {
    int instances = conf.get(YarnOptions.EXECUTOR_INSTANCES);
    Integer configured = conf.get(YarnOptions.MAX_EXECUTOR_FAILURES);
    return new Plan(instances, ContainerSizes.of(conf),
        configured != null ? configured : ExecutorOptions.maxFailures(conf, instances),
        // Weft's choice of JVM flags, then weft.executor.extraJavaOptions, which win
        JvmStart.javaOptions(conf, JvmStart.Role.EXECUTOR, JvmStart.hasCds(java.nio.file.Path.of(YarnConstants.LIBS_DIR))),
        conf.get(io.weft.config.SecurityOptions.CRYPTO_ENABLED));
  }

  Plan plan() {
    return plan;
  }

  /** The host name other containers reach this one by: the NodeManager's name for it. */
  static String containerHost() {
    String nmHost = System.getenv(Environment.NM_HOST.name());
    if (nmHost != null && !nmHost.isBlank()) {
      return nmHost;
    }
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  @Override
  public int executorCount() {
    return instances;
  }

  @Override
  public int coresPerExecutor() {
    return sizes.executorCores();
  }

  /** Spark's YARN default: a cluster rarely has room for every container at once. */
  @Override
  public double defaultMinRegisteredRatio() {
    return 0.8;
  }

  @Override
  public void start(String driverHost, int driverPort, Listener listener) {
    List<Container> granted;
    synchronized (this) {
      this.driverHost = driverHost;
      this.driverPort = driverPort;
      this.listener = listener;
      granted = new ArrayList<>(held);
      held.clear();
    }
    services.driverStarted(driverHost, driverPort); // before asking: kept executors look for it
    requestExecutors();
    for (Container c : granted) {
      launch(c);
    }
  }

  /**
   * Asks YARN for the executor containers, unless that was done already: from {@link #start},
   * or earlier from the ApplicationMaster, which calls it right after registration.
   */
  void requestExecutors() {
    synchronized (this) {
      if (requested) {
        return;
      }
      requested = true;
    }
    services.addYarnEventListener(this);
    if (!localityInputs.isBlank()) { // before asking: the first requests already name the input's hosts
      requests.follow(InputBlockHosts.demandOf(services.hadoopConf(), localityInputs));
    }
    int kept;
    synchronized (this) {
      kept = previous.size();
    }
    if (kept > 0) {
      LOG.info("{} executor containers of earlier attempts are still running: waiting for their executors "
          + "to reconnect, and asking for {} new ones", kept, Math.max(0, instances - kept));
    }
    LOG.info("Requesting {} executor containers of {} MiB ({} MiB heap + {} MiB overhead) and {} vcores",
        Math.max(0, instances - kept), sizes.executorContainerMb(), sizes.executorHeapMb(),
        sizes.executorOverheadMb(), sizes.executorCores());
    request(Math.max(0, instances - kept));
    adjustHeartbeat(); // none asked for (no executors): back to the idle interval
  }

  /**
   * Fast AMRM heartbeats while a request is pending, idle ones otherwise. Called after every
   * change of {@code pendingRequests}; setting the interval only stores a number, so it is done
   * under the monitor, which keeps two threads from setting them out of order.
   */
  private synchronized void adjustHeartbeat() {
    int wanted = pendingRequests > 0 || awaitingExits ? pendingHeartbeatMs : idleHeartbeatMs;
    if (wanted != heartbeatMs) {
      LOG.debug("AMRM heartbeat every {} ms ({} container requests pending)", wanted, pendingRequests);
      heartbeatMs = wanted;
      services.amRmClient().setHeartbeatInterval(wanted);
    }
  }

  private void request() {
    request(1);
  }

  private void request(int n) {
    synchronized (this) {
      pendingRequests += n;
    }
    adjustHeartbeat();
    requests.add(n); // placed near the waiting tasks' data, when the driver has said where that is
  }

  /** Where hosts sit: Hadoop's topology mapping from the cluster's configuration. */
  @Override
  public RackResolver rackResolver() {
    return racks;
  }

  /** Moves the outstanding requests towards the new stage's data (on the placement thread). */
  @Override
  public void localityDemandChanged(LocalityDemand demand) {
    if (!isStopping()) {
      requests.demandChanged(demand);
    }
  }

  /** Waits until the placement thread has done what it was handed so far (for tests). */
  void awaitPlacement() throws InterruptedException, java.util.concurrent.ExecutionException {
    placementThread.submit(() -> { }).get();
  }

  @Override
  public void containersAllocated(List<Container> containers) {
    for (Container c : containers) {
      boolean accepted;
      boolean launchNow = false;
      synchronized (this) {
        if (stopping) {
          // every provisioner hears every allocation: a stopped one's requests were withdrawn, so
          // this container is another's (a later context's), not ours to release
          continue;
        }
        accepted = pendingRequests > 0;
        if (accepted) {
          pendingRequests--;
          launchNow = listener != null;
          if (!launchNow) {
            held.add(c);
          }
        }
      }
      if (!accepted) {
        services.amRmClient().releaseAssignedContainer(c.getId());
        continue;
      }
      // the request is satisfied: without this AMRMClient would ask for it again (YARN-1902)
      requests.granted(c);
      if (launchNow) {
        launch(c);
      } else {
        LOG.info("Holding {} on {} until the driver is up", c.getId(), c.getNodeId());
      }
    }
    adjustHeartbeat();
  }

  private void launch(Container c) {
    String id;
    synchronized (this) {
      id = attempt == 1 ? String.valueOf(nextExecutorId++) : attempt + "." + nextExecutorId++;
      executorOf.put(c.getId(), id);
    }
    LOG.info("Launching executor {} in {} on {}", id, c.getId(), c.getNodeId());
    services.executorLaunched(id, c);
    services.nmClient().startContainerAsync(c, launchContext(id));
  }

  private ContainerLaunchContext launchContext(String executorId) {
    List<String> command = new ArrayList<>(List.of(
        Environment.JAVA_HOME.$$() + "/bin/java",
        "-Xmx" + sizes.executorHeapMb() + "m",
        "-Djava.io.tmpdir=" + Environment.PWD.$$() + "/tmp"));
    command.addAll(javaOptions);
    command.addAll(List.of(
        YarnExecutorMain.class.getName(),
        executorId, driverHost, String.valueOf(driverPort), String.valueOf(sizes.executorCores()),
        // where it finds the next attempt's driver when this one goes away, if there may be one
        outliveAttempt ? services.stagingDir().toString() : "-",
        "1>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stdout",
        "2>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stderr"));
    Map<String, String> env = new HashMap<>();
    env.put(Environment.CLASSPATH.name(), classPath(services.hadoopConf(), services.appClassPath()));
    // the executor connects before it has the driver's settings: it must know to encrypt
    env.put(io.weft.network.TransportConf.CRYPTO_ENV, String.valueOf(plan.encrypt()));
    return ContainerLaunchContext.newInstance(services.executorResources(), env,
        List.of(String.join(" ", command)), null, services.executorTokens(), null);
  }

  /** Weft's conf and jars, the application's jars, then the cluster's own class path ({@link JvmStart}). */
  static String classPath(Configuration conf, List<String> appClassPath) {
    return JvmStart.containerClassPath(JvmStart.recordedJars(java.nio.file.Path.of(YarnConstants.LIBS_DIR)),
        appClassPath, conf);
  }

  @Override
  public void containersCompleted(List<ContainerStatus> statuses) {
    for (ContainerStatus s : statuses) {
      ExitStatusClassifier.Classification what = ExitStatusClassifier.classify(s);
      requests.ended(s.getContainerId());
      boolean heldLost;
      synchronized (this) {
        heldLost = (held.removeIf(h -> h.getId().equals(s.getContainerId()))
            || previous.remove(s.getContainerId()) != null) && !stopping;
      }
      if (heldLost) { // no executor of this driver ever ran in it: just ask for another
        LOG.warn("Container {} ended before its executor was launched or reconnected: {}", s.getContainerId(),
            what.reason());
        request();
        continue;
      }
      String id;
      synchronized (this) {
        id = executorOf.remove(s.getContainerId());
        if (id == null || stopping) {
          notifyAll();
          continue;
        }
        if (what.countsAsFailure()) {
          failures++;
        }
      }
      LOG.warn("Executor {} ended: {}", id, what.reason());
      executorEnded(id, what.reason());
    }
  }

  /**
   * Accepts an executor this provisioner launched (same id in the same container) or one of an
   * earlier attempt whose container YARN handed back, which it adopts; refuses any other.
   */
  @Override
  public synchronized boolean accepts(String executorId, String resourceId) {
    if (resourceId == null) {
      return executorOf.containsValue(executorId);
    }
    ContainerId container;
    try {
      container = ContainerId.fromString(resourceId);
    } catch (IllegalArgumentException e) {
      return false;
    }
    String launched = executorOf.get(container);
    if (launched != null) {
      return launched.equals(executorId);
    }
    Container kept = previous.remove(container);
    if (kept == null || stopping || executorOf.containsValue(executorId)) {
      return false;
    }
    executorOf.put(container, executorId);
    LOG.info("Executor {} in {} on {}, launched by an earlier attempt, reconnected: adopted", executorId,
        container, kept.getNodeId());
    services.executorLaunched(executorId, kept);
    return true;
  }

  @Override
  public void containerStartFailed(ContainerId containerId, Throwable cause) {
    String id;
    synchronized (this) {
      id = executorOf.remove(containerId);
      if (id == null || stopping) {
        return;
      }
      failures++;
    }
    executorEnded(id, "the NodeManager could not start " + containerId + ": " + cause);
  }

  /** Reports a lost executor, then asks for a replacement, or says none is left once the budget is used up. */
  private void executorEnded(String id, String reason) {
    boolean replace;
    boolean noneLeft;
    int failed;
    synchronized (this) {
      failed = failures;
      replace = failures <= maxFailures;
      noneLeft = !replace && executorOf.isEmpty() && pendingRequests == 0;
    }
    listener.executorLost(id, reason);
    if (replace) {
      request();
    } else {
      LOG.error("{} executor failures (more than weft.yarn.maxExecutorFailures allows); not replacing", failed);
      if (noneLeft) {
        listener.executorsExhausted(failed + " executor containers failed, more than weft.yarn.maxExecutorFailures ("
            + maxFailures + ") allows, so lost executors are no longer replaced; last: executor " + id + ": " + reason);
      }
    }
  }

  @Override
  public void kill(String executorId) {
    ContainerId container = null;
    synchronized (this) {
      for (Map.Entry<ContainerId, String> e : executorOf.entrySet()) {
        if (e.getValue().equals(executorId)) {
          container = e.getKey();
        }
      }
    }
    if (container != null) {
      LOG.warn("Releasing the container {} of executor {}, which the driver gave up on", container, executorId);
      services.amRmClient().releaseAssignedContainer(container);
    }
  }

  /**
   * Puts the hosts the scheduler excluded on the ResourceManager's exclusion list, so no new
   * container lands there ({@link YarnHostExclusions} leaves one cluster node off it), and shows
   * the list on the AM's status page.
   */
  @Override
  public void excludeHosts(java.util.Set<String> hosts) {
    YarnHostExclusions.Update u = exclusions.update(hosts, services.amRmClient().getClusterNodeCount());
    if (!u.isEmpty()) {
      services.amRmClient().updateBlacklist(u.additions(), u.removals());
      LOG.warn("ResourceManager exclusion list now {} (added {}, removed {}{})", u.now(), u.additions(),
          u.removals(), u.capped() > 0 ? "; " + u.capped() + " more left off to keep a node for the application" : "");
      if (services.statusListener() instanceof AmStatus status) {
        status.setExcludedHosts(u.now());
      }
    }
  }

  /** Whether {@link #stop} has begun: containers ending from then on are not reported lost. */
  synchronized boolean isStopping() {
    return stopping;
  }

  @Override
  public void stop() {
    List<ContainerId> running;
    synchronized (this) {
      stopping = true;
      awaitingExits = !executorOf.isEmpty();
      adjustHeartbeat(); // the application's end waits for these exits: hear of them soon
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      // executors were told to stop over the network; give them a moment to exit by themselves
      while (!executorOf.isEmpty() && System.nanoTime() < deadline) {
        try {
          wait(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      running = new ArrayList<>(executorOf.keySet());
      held.forEach(c -> running.add(c.getId()));
      held.clear();
      running.addAll(previous.keySet());
      previous.clear();
      pendingRequests = 0;
      awaitingExits = false;
    }
    adjustHeartbeat();
    // withdraw what was asked and not granted, or AMRMClient keeps asking for it
    placementThread.shutdownNow();
    requests.withdrawAll();
    for (ContainerId c : running) {
      services.amRmClient().releaseAssignedContainer(c);
    }
    if (!running.isEmpty()) {
      LOG.warn("Released {} executor containers that did not exit by themselves", running.size());
    }
  }
}
