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
import io.weft.network.protocol.Messages;
import io.weft.network.protocol.RegisterExecutor;
import io.weft.network.protocol.RegisteredExecutor;
import io.weft.network.rpc.RpcHandler;
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
 * <p>Cluster managers start it through their own main (YARN: reads the secret from the
 * container's credentials; local-cluster: from its stdin) and call {@link #run}.
 *
 * <p>A task's {@link VirtualMachineError} ends the JVM with {@link #EXIT_VM_ERROR} once the
 * driver has the failure: an executor runs only as its JVM's main job, never inside another
 * process.
 *
 * <p>Threading: {@link #run} blocks the calling thread until the executor stops; tasks run on
 * the executor's pool, messages on Netty threads, heartbeats on a timer thread.
 */
public final class ExecutorProcess {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorProcess.class);

  /**
   * Exit status of an executor JVM ended by a task's VirtualMachineError (an OutOfMemoryError,
   * most often); the same number Spark uses, so operators recognise it.
   */
  public static final int EXIT_VM_ERROR = 52;

  /** Where and who this executor is; {@code localDirRoot} is its scratch parent directory. */
  public record Args(String executorId, String driverHost, int driverPort, String advertisedHost,
      int cores, Path localDirRoot) {}

  private final Args args;
  private final byte[] secret;
  private final CompletableFuture<String> stopped = new CompletableFuture<>();
  private volatile Executor executor;
  private NettyShuffleBlockFetcher fetcher;

  public ExecutorProcess(Args args, byte[] secret) {
    this.args = args;
    this.secret = secret.clone();
  }

  /** Runs until the executor is told to stop or loses its driver; returns the reason. */
  public String run() throws IOException {
    TransportConf tc = TransportConf.forExecutorProcess();
    LocalDirs dirs = LocalDirs.create(args.localDirRoot(), args.executorId());
    // sized from the driver's settings at registration; no block is asked for before that
    IndexShuffleBlockResolver shuffles = new IndexShuffleBlockResolver(dirs,
        new WeftConf(false).get(ShuffleOptions.INDEX_CACHE_SIZE));
    ExecutorMessageHandler control = new ExecutorMessageHandler(stopped::complete);
    TransportServer blockServer = new TransportServer(tc, secret, "0.0.0.0", 0,
        new BlockFetchHandler(shuffles, RpcHandler.REJECT_ALL));
    TransportClientFactory fetchClients = new TransportClientFactory(tc, secret, RpcHandler.REJECT_ALL);
    TransportClientFactory controlClients = new TransportClientFactory(tc, secret, control);
    ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "executor-heartbeat");
      t.setDaemon(true);
      return t;
    });
    try {
      TransportClient driver = controlClients.createClient(args.driverHost(), args.driverPort());
      // tasks may arrive as soon as the driver has our registration: be ready before asking
      ExecutorEnv[] env = new ExecutorEnv[1];
      RegisteredExecutor reply = register(driver, blockServer.port(), control, dirs, shuffles, fetchClients, env);
      if (!reply.getAccepted()) {
        return "the driver refused registration: " + reply.getMessage();
      }
      executor = this.executor;
      long interval = env[0].conf().get(ExecutorOptions.HEARTBEAT_INTERVAL);
      HeartbeatFailures failures = new HeartbeatFailures(env[0].conf().get(ExecutorOptions.HEARTBEAT_MAX_FAILURES));
      heartbeats.scheduleWithFixedDelay(() -> heartbeat(driver, failures, interval), interval, interval,
          TimeUnit.MILLISECONDS);
      String reason = stopped.join();
      LOG.info("Executor {} stopping: {}", args.executorId(), reason);
      return reason + "; ran " + executor.launchedTasks() + " tasks and fetched " + fetcher.remoteFetches()
          + " shuffle blocks from other executors";
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

  /**
   * Registers with the driver and builds the executor with the configuration the driver returns.
   * Tasks the driver sends before the executor is bound wait in the control handler.
   */
  private RegisteredExecutor register(TransportClient driver, int blockPort, ExecutorMessageHandler control,
      LocalDirs dirs, IndexShuffleBlockResolver shuffles, TransportClientFactory fetchClients, ExecutorEnv[] env)
      throws IOException {
    RegisteredExecutor reply;
    try {
      reply = driver.ask(new RegisterExecutor(args.executorId(), args.advertisedHost(), blockPort,
          args.cores()), RegisteredExecutor.class).get();
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
    BlockManager blocks = new BlockManager(dirs, memory, Serializers.fromConf(conf));
    shuffles.setCacheBytes(conf.get(ShuffleOptions.INDEX_CACHE_SIZE));
    env[0] = new ExecutorEnv(args.executorId(), args.advertisedHost(), blockPort, conf, dirs, shuffles, blocks,
        memory,
        fetcher = new NettyShuffleBlockFetcher(args.executorId(), dirs, shuffles, fetchClients),
        new RemoteDriverEndpoint(driver));
    executor = new Executor(env[0], args.cores(), Thread.currentThread().getContextClassLoader(),
        (taskId, outcome) -> driver.send(Messages.toTaskStatus(taskId, outcome)),
        FatalTaskErrors.Placement.executorJvm(args.executorId(), heapSetting(conf)),
        error -> halt(driver, error));
    control.bind(executor);
    LOG.info("Executor {} registered with the driver at {}:{} ({} slots, app '{}')", args.executorId(),
        args.driverHost(), args.driverPort(), args.cores(), conf.get(CoreOptions.APP_NAME));
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
