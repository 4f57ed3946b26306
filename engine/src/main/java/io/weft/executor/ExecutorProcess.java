package io.weft.executor;

import io.weft.WeftConf;
import io.weft.config.CoreOptions;
import io.weft.config.ExecutorOptions;
import io.weft.config.SecurityOptions;
import io.weft.config.ShuffleOptions;
import io.weft.memory.UnifiedMemoryManager;
import io.weft.network.TransportClient;
import io.weft.network.TransportClientFactory;
import io.weft.network.TransportConf;
import io.weft.network.TransportServer;
import io.weft.network.endpoint.ExecutorMessageHandler;
import io.weft.network.endpoint.RemoteDriverEndpoint;
import io.weft.network.protocol.Heartbeat;
import io.weft.network.protocol.HeartbeatResponse;
import io.weft.network.endpoint.TaskMessages;
import io.weft.network.protocol.RegisterExecutor;
import io.weft.network.protocol.RegisteredExecutor;
import io.weft.network.rpc.RpcHandler;
import io.weft.network.rpc.TransportConnection;
import io.weft.network.shuffle.BlockFetchHandler;
import io.weft.network.shuffle.NettyShuffleBlockFetcher;
import io.weft.serialization.JavaDeserializationFilter;
import io.weft.serialization.Serializers;
import io.weft.shuffle.IndexShuffleBlockResolver;
import io.weft.storage.BlockManager;
import io.weft.storage.LocalDirs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An executor in its own JVM: connects to the driver (authenticating with the application
 * secret), starts its block server, registers its slots, runs the tasks the driver sends, and
 * ends when the driver says stop, when the control connection closes, or when heartbeats show
 * the driver no longer knows it. So no executor outlives its application.
 *
 * <p>With a {@link DriverLocator} (YARN, when the application may have another attempt) a closed
 * control connection does not end the executor at once: it stops the lost driver's tasks (their
 * results have nowhere to go, and the next driver reuses task ids), drops its cached blocks and
 * broadcast copies (the next driver reuses their ids too), and asks the locator for a new driver
 * until {@code weft.executor.reconnect.timeout} passes. When one is published it reconnects,
 * authenticates with the same secret and registers again under the same id, host and block-server
 * port, so its shuffle files serve the new driver (io.weft.recovery.MapOutputRecovery). If the
 * lost driver's tasks do not stop, or no driver comes, or the new one refuses it, it ends.
 *
 * <p>Cluster managers start it through their own main (YARN: reads the secret from the
 * container's credentials; local-cluster: from its stdin) and call {@link #run}.
 *
 * <p>A task's {@link VirtualMachineError} ends the JVM with {@link #EXIT_VM_ERROR} once the
 * driver has the failure: an executor runs only as its JVM's main job, never inside another
 * process.
 *
 * <p>Threading: {@link #run} blocks the calling thread until the executor stops, and does every
 * reconnection on it; tasks run on the executor's pool, messages on Netty threads, heartbeats on
 * a timer thread.
 */
public final class ExecutorProcess {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorProcess.class);

  /**
   * Exit status of an executor JVM ended by a task's VirtualMachineError (an OutOfMemoryError,
   * most often); the same number Spark uses, so operators recognise it.
   */
  public static final int EXIT_VM_ERROR = 52;

  /** How long the lost driver's tasks get to stop before a reconnecting executor gives up. */
  private static final long STOP_TASKS_WAIT_MS = 10_000;
  /** How often a reconnecting executor asks its {@link DriverLocator}. */
  private static final long LOCATE_INTERVAL_MS = 250;

  /**
   * Where and who this executor is; {@code localDirRoot} is its scratch parent directory;
   * {@code resourceId} the cluster manager's name for its process (YARN: the container id), or null;
   * {@code driverAttempt} the application attempt of the driver at {@code driverHost:driverPort}
   * (YARN: the attempt that allocated the container), or {@link DriverLocator.Address#UNKNOWN_ATTEMPT}.
   */
  public record Args(String executorId, String driverHost, int driverPort, String advertisedHost,
      int cores, Path localDirRoot, String resourceId, int driverAttempt) {
    public Args(String executorId, String driverHost, int driverPort, String advertisedHost, int cores,
        Path localDirRoot) {
      this(executorId, driverHost, driverPort, advertisedHost, cores, localDirRoot, null);
    }

    /** With the driver's application attempt unknown ({@link DriverLocator.Address#UNKNOWN_ATTEMPT}). */
    public Args(String executorId, String driverHost, int driverPort, String advertisedHost, int cores,
        Path localDirRoot, String resourceId) {
      this(executorId, driverHost, driverPort, advertisedHost, cores, localDirRoot, resourceId,
          DriverLocator.Address.UNKNOWN_ATTEMPT);
    }
  }

  /** The pieces of the executor process that outlive a driver connection. */
  private record Parts(LocalDirs dirs, IndexShuffleBlockResolver shuffles, TransportClientFactory fetchClients,
      TransportClientFactory controlClients, ExecutorMessageHandler control, int blockPort) {}

  private final Args args;
  private final byte[] secret;
  private final DriverLocator locator;
  private final CompletableFuture<String> stopped = new CompletableFuture<>();
  /** The current driver connection, and what completes when it closes. */
  private volatile TransportClient driver;
  private volatile CompletableFuture<String> driverLost = new CompletableFuture<>();
  private volatile Executor executor;
  private NettyShuffleBlockFetcher fetcher;
  private ScheduledFuture<?> heartbeat;
  private int reconnects;
  /** The application attempt of the current driver; main thread only. */
  private int driverAttempt;

  public ExecutorProcess(Args args, byte[] secret) {
    this(args, secret, null);
  }

  /** @param locator where to find the next driver when this one goes away; null: end with it */
  public ExecutorProcess(Args args, byte[] secret, DriverLocator locator) {
    this.args = args;
    this.secret = secret.clone();
    this.locator = locator;
    this.driverAttempt = args.driverAttempt();
  }

  /** Runs until the executor is told to stop or loses its driver for good; returns the reason. */
  public String run() throws IOException {
    TransportConf tc = TransportConf.forExecutorProcess();
    LocalDirs dirs = LocalDirs.create(args.localDirRoot(), args.executorId());
    // sized from the driver's settings at registration; no block is asked for before that
    IndexShuffleBlockResolver shuffles = new IndexShuffleBlockResolver(dirs,
        new WeftConf(false).get(ShuffleOptions.INDEX_CACHE_SIZE));
    ExecutorMessageHandler control = new ExecutorMessageHandler(stopped::complete, this::connectionClosed);
    TransportServer blockServer = new TransportServer(tc, secret, "0.0.0.0", 0,
        new BlockFetchHandler(shuffles, RpcHandler.REJECT_ALL));
    TransportClientFactory fetchClients = new TransportClientFactory(tc, secret, RpcHandler.REJECT_ALL);
    TransportClientFactory controlClients = new TransportClientFactory(tc, secret, control);
    ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "executor-heartbeat");
      t.setDaemon(true);
      return t;
    });
    Parts parts = new Parts(dirs, shuffles, fetchClients, controlClients, control, blockServer.port());
    try {
      RegisteredExecutor reply = connect(parts, args.driverHost(), args.driverPort(), heartbeats);
      if (!reply.getAccepted()) {
        return "the driver refused registration: " + reply.getMessage();
      }
      while (true) {
        Object end = CompletableFuture.anyOf(stopped, driverLost).join();
        if (stopped.isDone() || locator == null) {
          String reason = (String) end;
          LOG.info("Executor {} stopping: {}", args.executorId(), reason);
          return reason + "; ran " + executor.launchedTasks() + " tasks and fetched " + fetcher.remoteFetches()
              + " shuffle blocks from other executors" + (reconnects > 0 ? " (since its last reconnection)" : "");
        }
        String failed = reconnect(parts, (String) end, heartbeats);
        if (failed != null) {
          LOG.warn("Executor {} stopping: {}", args.executorId(), failed);
          return failed;
        }
      }
    } finally {
      heartbeats.shutdownNow();
      if (executor != null) {
        executor.stop();
      }
      control.close();
      controlClients.close();
      fetchClients.close();
      blockServer.close();
      dirs.deleteAll();
    }
  }

  /** The control handler saw {@code connection} close: the current driver is lost if it is that one. */
  private void connectionClosed(TransportConnection connection) {
    if (connection == driver) {
      driverLost.complete("lost the connection to the driver at " + connection.remoteAddress());
    }
  }

  /**
   * Connects to the driver at {@code host:port}, registers, and once accepted starts heartbeats.
   * Tasks the driver sends before the executor is bound wait in the control handler.
   */
  private RegisteredExecutor connect(Parts parts, String host, int port, ScheduledExecutorService heartbeats)
      throws IOException {
    driverLost = new CompletableFuture<>();
    TransportClient client = parts.controlClients().createClient(host, port);
    driver = client;
    if (!client.isActive()) { // closed before this thread could watch it
      driverLost.complete("the connection to the driver at " + host + ":" + port + " closed at once");
    }
    RegisteredExecutor reply;
    try {
      reply = register(client, parts);
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
    if (reply.getAccepted()) {
      long interval = executor.env().conf().get(ExecutorOptions.HEARTBEAT_INTERVAL);
      HeartbeatFailures failures = new HeartbeatFailures(
          executor.env().conf().get(ExecutorOptions.HEARTBEAT_MAX_FAILURES));
      heartbeat = heartbeats.scheduleWithFixedDelay(() -> heartbeat(client, failures, interval), interval,
          interval, TimeUnit.MILLISECONDS);
      LOG.info("Executor {} registered with the driver at {}:{} ({} slots, app '{}')", args.executorId(),
          host, port, args.cores(), executor.env().conf().get(CoreOptions.APP_NAME));
    }
    return reply;
  }

  /**
   * After the driver was lost: stops its tasks, then waits for a new driver and registers with
   * it. Returns null when registered again, else why the executor ends.
   */
  private String reconnect(Parts parts, String lost, ScheduledExecutorService heartbeats) {
    DriverLocator.Address old = new DriverLocator.Address(driver.host(), driver.port(), driverAttempt);
    long timeoutMs = executor.env().conf().get(ExecutorOptions.RECONNECT_TIMEOUT);
    LOG.warn("Executor {} {}; stopping its tasks and looking for a new driver for up to {} ms "
        + "(weft.executor.reconnect.timeout)", args.executorId(), lost, timeoutMs);
    heartbeat.cancel(false);
    parts.control().unbind();
    driver.close();
    if (!executor.stop(STOP_TASKS_WAIT_MS)) {
      return lost + ", and the tasks it had launched did not stop within " + STOP_TASKS_WAIT_MS + " ms";
    }
    // the next driver may recompute a map output this one committed (its inputs may have changed):
    // its commit must replace the kept file, not be dropped in its favour; adopted ones stay served
    parts.shuffles().newEpoch();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    String lastProblem = "none was published";
    while (System.nanoTime() < deadline && !stopped.isDone()) {
      try {
        DriverLocator.Address next = locator.latest();
        if (next != null && next.replaces(old)) {
          RegisteredExecutor reply = connect(parts, next.host(), next.port(), heartbeats);
          if (!reply.getAccepted()) {
            return lost + "; the driver at " + next + " refused it: " + reply.getMessage();
          }
          reconnects++;
          driverAttempt = next.attempt();
          LOG.info("Executor {} reconnected to the new driver at {}, keeping its shuffle files", args.executorId(),
              next);
          return null;
        }
      } catch (IOException e) {
        lastProblem = e.toString();
        LOG.debug("Looking for a new driver: {}", e.toString());
      }
      try {
        Thread.sleep(LOCATE_INTERVAL_MS); // a poll of the published address, not a wait standing in for an event
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return lost + "; interrupted while looking for a new driver";
      }
    }
    return stopped.isDone() ? stopped.join() : lost + "; no new driver within " + timeoutMs
        + " ms (weft.executor.reconnect.timeout; last: " + lastProblem + ")";
  }

  /**
   * Registers with the driver and builds the executor with the configuration the driver returns:
   * a fresh block manager, fetcher and environment (cached blocks and broadcast copies belong to
   * one driver), over the shuffle files and directories that outlive it.
   */
  private RegisteredExecutor register(TransportClient driver, Parts parts) throws IOException {
    RegisteredExecutor reply;
    try {
      reply = driver.ask(new RegisterExecutor(args.executorId(), args.advertisedHost(), parts.blockPort(),
          args.cores(), args.resourceId()), RegisteredExecutor.class).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while registering", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("registration with the driver failed: " + e.getCause(), e.getCause());
    }
    if (!reply.getAccepted()) {
      return reply;
    }
    WeftConf conf = new WeftConf(false);
    reply.getConf().forEach(conf::set);
    JavaDeserializationFilter.configure(conf.get(SecurityOptions.JAVA_FILTER));
    UnifiedMemoryManager memory = UnifiedMemoryManager.fromConf(conf, Runtime.getRuntime().maxMemory());
    BlockManager blocks = new BlockManager(parts.dirs(), memory, Serializers.fromConf(conf));
    parts.shuffles().setCacheBytes(conf.get(ShuffleOptions.INDEX_CACHE_SIZE));
    ExecutorEnv env = new ExecutorEnv(args.executorId(), args.advertisedHost(), parts.blockPort(), conf,
        parts.dirs(), parts.shuffles(), blocks, memory,
        fetcher = new NettyShuffleBlockFetcher(args.executorId(), parts.dirs(), parts.shuffles(), parts.fetchClients()),
        new RemoteDriverEndpoint(driver));
    executor = new Executor(env, args.cores(), Thread.currentThread().getContextClassLoader(),
        (taskId, outcome) -> driver.send(TaskMessages.toTaskStatus(taskId, outcome)),
        FatalTaskErrors.Placement.executorJvm(args.executorId(), heapSetting(conf)),
        error -> halt(driver, error));
    parts.control().bind(executor);
    return reply;
  }

  /** How this executor's heap is sized, for the message of a task's OutOfMemoryError. */
  private static String heapSetting(WeftConf conf) {
    return conf.master().startsWith("local-cluster")
        ? "give executors more heap with the M (MiB) of local-cluster[N,C,M]"
        : "give executors more heap with weft.executor.memory (--executor-memory)";
  }

  /**
   * Ends this JVM after a task's VirtualMachineError, whose failure the executor already sent.
   * A round trip to the driver first (bounded) makes sure the driver read that failure, with its
   * message, before it sees the connection close; then {@link Runtime#halt}, because shutdown
   * hooks and clean-up code are not to be trusted in a JVM in this state. The cluster manager
   * replaces the executor.
   */
  private void halt(TransportClient driver, VirtualMachineError error) {
    try {
      LOG.error("Executor {} stops its JVM after a task's {}", args.executorId(), error.toString());
      driver.ask(heartbeatMessage()).get(5, TimeUnit.SECONDS);
    } catch (Throwable ignored) {
      // best effort: the driver learns of the loss from the closed connection anyway
    } finally {
      Runtime.getRuntime().halt(EXIT_VM_ERROR);
    }
  }

  /**
   * Sends one heartbeat and waits up to an interval for the reply (so they do not pile up). A
   * failed one is tolerated until {@code weft.executor.heartbeat.maxFailures} fail in a row; a
   * closed connection ends the executor anyway, through the control handler.
   */
  private void heartbeat(TransportClient driver, HeartbeatFailures failures, long intervalMs) {
    try {
      HeartbeatResponse r = driver.ask(heartbeatMessage(), HeartbeatResponse.class).get(Math.max(intervalMs, 1_000), TimeUnit.MILLISECONDS);
      failures.replied();
      if (!r.getKnown()) {
        stopped.complete("the driver no longer knows this executor");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the executor is stopping
    } catch (Exception e) {
      if (failures.failed()) {
        stopped.complete("heartbeat to the driver failed " + failures.inARow() + " times in a row "
            + "(weft.executor.heartbeat.maxFailures is " + failures.max() + "); last: " + e);
      } else {
        LOG.warn("Heartbeat to the driver failed ({} of {} allowed in a row): {}", failures.inARow(),
            failures.max(), e.toString());
      }
    }
  }

  /** A heartbeat with the heap and, once registered, the memory pool and cached datasets. */
  private Heartbeat heartbeatMessage() {
    Heartbeat.Builder b = Heartbeat.newBuilder().setExecutorId(args.executorId()).setRunningTasks(0)
        .setUsedHeapBytes(usedHeap()).setMaxHeapBytes(Runtime.getRuntime().maxMemory());
    Executor registered = executor;
    return (registered == null ? b : io.weft.memory.MemoryStatus.fill(b, registered.env())).build();
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
