package io.weft.cluster.remote;

import io.weft.WeftConf;
import io.weft.WeftException;
import io.weft.cluster.ClusterBackend;
import io.weft.cluster.ExecutorInfo;
import io.weft.cluster.SchedulerCallbacks;
import io.weft.config.ExecutorOptions;
import io.weft.executor.DriverEndpoint;
import io.weft.executor.TaskMetrics;
import io.weft.network.TransportConf;
import io.weft.network.TransportServer;
import io.weft.network.endpoint.DriverEndpointHandler;
import io.weft.network.protocol.Heartbeat;
import io.weft.network.protocol.HeartbeatResponse;
import io.weft.network.protocol.KillTask;
import io.weft.network.endpoint.TaskMessages;
import io.weft.network.protocol.RegisterExecutor;
import io.weft.network.protocol.RegisteredExecutor;
import io.weft.network.protocol.RemoveCachedNode;
import io.weft.network.protocol.RemoveShuffle;
import io.weft.network.protocol.StopExecutor;
import io.weft.network.protocol.TaskStatus;
import io.weft.network.rpc.ReplyChannel;
import io.weft.network.rpc.RpcHandler;
import io.weft.network.rpc.TransportConnection;
import io.weft.scheduler.TaskDescription;
import io.weft.scheduler.TaskEndReason;
import io.weft.scheduler.TaskOutcome;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of executors in other JVMs, whatever starts them: a {@link TransportServer}
 * that executors connect and register to, the control connection each one opened (tasks go down
 * it, statuses come up), and an {@link ExecutorProvisioner} that starts and stops the processes.
 *
 * <p>An executor is lost when its control connection closes, its provisioner reports the
 * process gone, or the scheduler gave up on it for lack of heartbeats ({@link #killExecutor}),
 * whichever comes first; the scheduler hears of it once. Heartbeats are forwarded to the
 * scheduler, which keeps the time-out; when the provisioner can start no more executors and none
 * is left, the scheduler hears that too.
 *
 * <p>Threading: Netty threads call the handler (it only forwards to {@link SchedulerCallbacks},
 * which post events); the scheduler thread calls {@link #launchTask} and friends, which only
 * enqueue writes; {@link #start} and {@link #stop} run on the context's thread.
 */
public final class RemoteExecutorsBackend implements ClusterBackend {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteExecutorsBackend.class);

  private final WeftConf conf;
  private final DriverEndpoint driver;
  private final byte[] secret;
  private final String bindHost;
  private final String advertisedHost;
  private final ExecutorProvisioner provisioner;
  private final ClassLoader userLoader;
  private final Map<String, TransportConnection> executors = new ConcurrentHashMap<>();
  private final Map<String, Boolean> lost = new ConcurrentHashMap<>();
  /** The last memory report posted per executor (heartbeats arrive on Netty threads). */
  private final Map<String, io.weft.status.ListenerEvent.ExecutorMemoryUpdated> lastMemoryReports =
      new ConcurrentHashMap<>();
  private static final long MEMORY_REPORT_MAX_AGE_MS = 30_000;
  /** Which executor each running task was sent to: only that executor's connection may end it. */
  private final Map<Long, String> taskExecutors = new ConcurrentHashMap<>();
  /** Notified on each registration; {@link #awaitExecutors} waits on it. */
  private final Object registrations = new Object();
  private volatile SchedulerCallbacks callbacks;
  private volatile boolean stopping;
  /** Why the provisioner can start no more executors (none is left), or null. */
  private volatile String exhausted;
  private TransportServer server;
  private final java.util.List<io.weft.status.WeftListener> listeners;

  /**
   * @param bindHost the interface to listen on ("0.0.0.0" on a cluster)
   * @param advertisedHost the name executors use to reach the driver
   */
  public RemoteExecutorsBackend(WeftConf conf, DriverEndpoint driver, byte[] secret, String bindHost,
      String advertisedHost, ExecutorProvisioner provisioner) {
    this(conf, driver, secret, bindHost, advertisedHost, provisioner, java.util.List.of());
  }

  /** @param listeners what the cluster manager wants on the listener bus (progress reporting) */
  public RemoteExecutorsBackend(WeftConf conf, DriverEndpoint driver, byte[] secret, String bindHost,
      String advertisedHost, ExecutorProvisioner provisioner, java.util.List<io.weft.status.WeftListener> listeners) {
    this.listeners = java.util.List.copyOf(listeners);
    this.conf = conf;
    this.driver = driver;
    this.secret = secret.clone();
    this.bindHost = bindHost;
    this.advertisedHost = advertisedHost;
    this.provisioner = provisioner;
    this.userLoader = Thread.currentThread().getContextClassLoader();
  }

  @Override
  public void start(SchedulerCallbacks callbacks) {
    this.callbacks = callbacks;
    server = new TransportServer(TransportConf.from(conf), secret, bindHost, 0,
        new DriverEndpointHandler(driver, new Handler()));
    LOG.info("Driver listening on {}:{}; starting {} executors with {} slots each", advertisedHost,
        server.port(), provisioner.executorCount(), provisioner.coresPerExecutor());
    provisioner.start(advertisedHost, server.port(), new ExecutorProvisioner.Listener() {
      @Override
      public void executorLost(String executorId, String reason) {
        onExecutorGone(executorId, reason);
      }

      @Override
      public void executorsExhausted(String reason) {
        exhausted = reason;
        synchronized (registrations) { // start() need not wait for executors that cannot come
          registrations.notifyAll();
        }
        if (!stopping) {
          callbacks.executorsExhausted(reason);
        }
      }
    });
    awaitExecutors();
  }

  /**
   * Waits until enough executors registered to start scheduling ({@link RegistrationWait}:
   * weft.scheduler.minRegisteredResourcesRatio, weft.scheduler.maxRegisteredResourcesWaitingTime,
   * weft.executor.registration.timeout); fails when none did, and at once, with the
   * provisioner's reason, when none is left and none can be started.
   */
  private void awaitExecutors() {
    RegistrationWait wait = RegistrationWait.of(conf, provisioner);
    long start = System.nanoTime();
    try {
      synchronized (registrations) {
        while (true) {
          long elapsedMs = (System.nanoTime() - start) / 1_000_000;
          int registered = executors.size();
          if (registered == 0 && exhausted != null) {
            stop();
            throw new WeftException("No executor could be started: " + exhausted);
          }
          RegistrationWait.Decision decision = wait.decide(registered, elapsedMs);
          if (decision == RegistrationWait.Decision.FAIL) {
            stop();
            throw new WeftException("No executor registered within " + wait.timeoutMs() + " ms "
                + "(weft.executor.registration.timeout); see the executors' logs");
          }
          if (decision == RegistrationWait.Decision.START) {
            if (registered < wait.asked()) {
              LOG.warn("Starting with {} of {} executors after {} ms (weft.scheduler.minRegisteredResourcesRatio "
                  + "{}, weft.scheduler.maxRegisteredResourcesWaitingTime {} ms); the others join when they register",
                  registered, wait.asked(), elapsedMs, wait.minRatio(), wait.maxWaitMs());
            }
            return;
          }
          registrations.wait(wait.untilNextDeadlineMs(elapsedMs));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException("interrupted while waiting for executors", e);
    }
  }

  /** The port executors connect to. */
  public int port() {
    return server.port();
  }

  public int registeredExecutors() {
    return executors.size();
  }

  @Override
  public void launchTask(String executorId, TaskDescription task) {
    TransportConnection c = executors.get(executorId);
    if (c == null || !c.isActive()) {
      callbacks.taskEnded(task.taskId(), new TaskOutcome.Failure(
          new TaskEndReason.ExecutorLost(executorId, "not connected"), new TaskMetrics()));
      return;
    }
    taskExecutors.put(task.taskId(), executorId);
    c.send(TaskMessages.toLaunchTask(task));
  }

  @Override
  public void killTask(String executorId, long taskId, String reason) {
    TransportConnection c = executors.get(executorId);
    if (c != null) {
      c.send(new KillTask(taskId, reason));
    }
  }

  @Override
  public boolean executorsHeartbeat() {
    return true;
  }

  @Override
  public void killExecutor(String executorId, String reason) {
    if (stopping || lost.putIfAbsent(executorId, Boolean.TRUE) != null) {
      return;
    }
    LOG.warn("Killing executor {}: {}", executorId, reason);
    lastMemoryReports.remove(executorId);
    TransportConnection c = executors.remove(executorId);
    if (c != null) {
      c.close();
    }
    provisioner.kill(executorId);
  }

  @Override
  public void excludedHostsChanged(java.util.Set<String> hosts) {
    provisioner.excludeHosts(hosts);
  }

  @Override
  public void removeShuffle(int shuffleId) {
    executors.values().forEach(c -> c.send(new RemoveShuffle(shuffleId)));
  }

  @Override
  public void removeCachedNode(int nodeId) {
    executors.values().forEach(c -> c.send(new RemoveCachedNode(nodeId)));
  }

  /**
   * Sends fresh delegation tokens (Hadoop token-storage bytes) to every registered executor over
   * its authenticated control connection. Any thread; only enqueues writes.
   */
  public void updateCredentials(byte[] tokenStorage) {
    executors.values().forEach(c -> c.send(new io.weft.network.protocol.UpdateCredentials(
        java.nio.ByteBuffer.wrap(tokenStorage.clone()))));
  }

  @Override
  public java.util.concurrent.CompletableFuture<Void> removeCachedNodeConfirmed(int nodeId) {
    return askAll(new RemoveCachedNode(nodeId));
  }

  @Override
  public java.util.concurrent.CompletableFuture<Void> removeBroadcast(long broadcastId) {
    return askAll(new io.weft.network.protocol.RemoveBroadcast(broadcastId));
  }

  /**
   * Sends {@code message} to every executor as a request; completes when all answered. An
   * executor lost meanwhile counts as done: its files go with its directory.
   */
  private java.util.concurrent.CompletableFuture<Void> askAll(Object message) {
    java.util.List<java.util.concurrent.CompletableFuture<Object>> answers = new java.util.ArrayList<>();
    for (TransportConnection c : executors.values()) {
      answers.add(c.ask(message).exceptionally(error -> c.isActive() ? rethrow(c, message, error) : null));
    }
    return java.util.concurrent.CompletableFuture.allOf(answers.toArray(new java.util.concurrent.CompletableFuture<?>[0]));
  }

  private static Object rethrow(TransportConnection c, Object message, Throwable error) {
    throw new WeftException("executor at " + c.remoteAddress() + " did not confirm "
        + message.getClass().getSimpleName() + ": " + error.getMessage(), error);
  }

  @Override
  public java.util.List<io.weft.status.WeftListener> listeners() {
    return listeners;
  }

  @Override
  public io.weft.cluster.RackResolver rackResolver() {
    return provisioner.rackResolver();
  }

  @Override
  public void localityDemandChanged(io.weft.cluster.LocalityDemand demand) {
    provisioner.localityDemandChanged(demand);
  }

  @Override
  public int defaultParallelism() {
    return Math.max(2, provisioner.executorCount() * provisioner.coresPerExecutor());
  }

  @Override
  public void stop() {
    if (stopping) {
      return;
    }
    stopping = true;
    executors.values().forEach(c -> c.send(new StopExecutor("application finished")));
    try {
      provisioner.stop();
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  /** The provisioner saw the process end (exit status), or its connection closed. */
  private void onExecutorGone(String executorId, String reason) {
    if (stopping || lost.putIfAbsent(executorId, Boolean.TRUE) != null) {
      return;
    }
    TransportConnection c = executors.remove(executorId);
    if (c != null) {
      c.close();
    }
    lastMemoryReports.remove(executorId);
    taskExecutors.values().removeIf(executorId::equals);
    LOG.warn("Executor {} lost: {}", executorId, reason);
    callbacks.executorLost(executorId, reason);
  }

  private final class Handler implements RpcHandler {
    @Override
    public void receive(Object message, ReplyChannel reply) {
      if (message instanceof RegisterExecutor r) {
        register(r, reply);
      } else if (message instanceof TaskStatus s) {
        taskStatus(s, reply.connection());
      } else if (message instanceof Heartbeat h) {
        Object speaker = reply.connection().attachment();
        if (!h.getExecutorId().equals(speaker)) {
          LOG.warn("Dropped a heartbeat for executor {} from {} (registered as {}): a connection "
              + "speaks only for its own executor", h.getExecutorId(), reply.connection().remoteAddress(), speaker);
          reply.replyError("this connection is not executor " + h.getExecutorId() + "'s");
          return;
        }
        boolean known = executors.containsKey(h.getExecutorId());
        if (known) {
          callbacks.executorHeartbeat(h.getExecutorId());
          if (h.getMemoryPoolBytes() > 0) {
            reportMemory(io.weft.memory.MemoryStatus.fromHeartbeat(h, System.currentTimeMillis()));
          }
        }
        reply.reply(new HeartbeatResponse(known));
      } else {
        reply.replyError("the driver does not handle " + message.getClass().getSimpleName());
      }
    }

    /** Posts a heartbeat's memory report when it says something new (or every 30 s). */
    private void reportMemory(io.weft.status.ListenerEvent.ExecutorMemoryUpdated report) {
      io.weft.status.ListenerEvent.ExecutorMemoryUpdated last = lastMemoryReports.get(report.executorId());
      if (io.weft.memory.MemoryStatus.worthReporting(last, report, MEMORY_REPORT_MAX_AGE_MS)) {
        lastMemoryReports.put(report.executorId(), report);
        callbacks.executorMemory(report);
      }
    }

    /**
     * Ends a task only when the status comes over the connection of the executor it was sent
     * to; anything else (an unregistered peer, another executor, a task that is not running) is
     * dropped, before its outcome is deserialized.
     */
    private void taskStatus(TaskStatus s, TransportConnection from) {
      Object speaker = from.attachment();
      String expected = taskExecutors.get(s.getTaskId());
      if (speaker == null || !speaker.equals(expected) || !taskExecutors.remove(s.getTaskId(), expected)) {
        LOG.warn("Dropped the status of task {} from {} (registered as {}; the task runs on {})",
            s.getTaskId(), from.remoteAddress(), speaker, expected);
        return;
      }
      callbacks.taskEnded(s.getTaskId(), TaskMessages.outcome(s, userLoader));
    }

    private void register(RegisterExecutor r, ReplyChannel reply) {
      String id = r.getExecutorId();
      if (stopping || lost.containsKey(id) || executors.containsKey(id)) {
        reply.reply(new RegisteredExecutor(false, "executor id " + id + " is not expected", Map.of()));
        return;
      }
      if (!provisioner.accepts(id, r.getResourceId())) {
        LOG.warn("Refused executor {} from {} ({}): not started or adopted by this driver", id, r.getHost(),
            r.getResourceId());
        reply.reply(new RegisteredExecutor(false, "executor " + id + " in " + r.getResourceId()
            + " was not started or adopted by this driver", Map.of()));
        return;
      }
      reply.connection().setAttachment(id);
      executors.put(id, reply.connection());
      Map<String, String> settings = new HashMap<>(conf.getAll());
      reply.reply(new RegisteredExecutor(true, null, settings));
      LOG.info("Executor {} registered from {} ({} slots, block server port {})", id, r.getHost(),
          r.getCores(), r.getBlockPort());
      callbacks.executorAdded(new ExecutorInfo(id, r.getHost(), r.getBlockPort(), r.getCores()));
      synchronized (registrations) {
        registrations.notifyAll();
      }
    }

    @Override
    public void connectionClosed(TransportConnection connection) {
      Object id = connection.attachment();
      if (id != null) {
        onExecutorGone((String) id, "connection to the executor closed");
      }
    }
  }
}
