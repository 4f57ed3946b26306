package io.weft.cluster.localcluster;

import io.weft.WeftConf;
import io.weft.WeftException;
import io.weft.cluster.remote.ExecutorProvisioner;
import io.weft.executor.ExecutorProcess;
import io.weft.storage.AppScratchDir;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts executors as child JVMs of the driver. Each gets the driver's class path plus the
 * application's jars, and reads the application secret from its stdin, as a YARN container reads
 * it from its credentials: never from a file that could outlive the application, a command line
 * or the environment, where others could see it. Each executor's output goes to
 * {@code executor-N.log} in the application's {@link AppScratchDir}, whose path is logged; its
 * scratch files go under the same directory, which {@link #stop} removes.
 *
 * <p>A process that ends while the application runs is replaced by a new executor (with a new
 * id), as a cluster manager would, until more than {@code weft.executor.maxFailures} have
 * failed; after that, once the last one is gone, the listener hears that none is left. Without
 * replacement, losing every executor would leave jobs waiting forever; without a limit, a task
 * that kills its JVM would be retried on fresh JVMs forever.
 *
 * <p>Threading: one waiter thread per process reports its end (and starts the replacement);
 * {@link #stop} waits up to 10 s for the processes to exit after the driver told them to, then
 * kills what is left.
 */
final class ProcessProvisioner implements ExecutorProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessProvisioner.class);

  private final WeftConf conf;
  private final int executors;
  private final int cores;
  private final int memoryMb;
  private final byte[] secret;
  private final int maxFailures;
  /** Processes still running, by executor id; guarded by itself, as are the fields below. */
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private int failures;
  private int nextExecutorId = 1;
  private volatile boolean stopping;
  private AppScratchDir scratch;
  private Path workDir;
  /** Computed once at start, on the context's thread: its class loader holds the application's jars. */
  private String classPath;
  private String driverHost;
  private int driverPort;
  private Listener listener;

  ProcessProvisioner(WeftConf conf, int executors, int cores, int memoryMb, byte[] secret) {
    this.conf = conf;
    this.executors = executors;
    this.cores = cores;
    this.memoryMb = memoryMb;
    this.secret = secret;
    this.maxFailures = io.weft.config.ExecutorOptions.maxFailures(conf, executors);
  }

  @Override
  public int executorCount() {
    return executors;
  }

  @Override
  public int coresPerExecutor() {
    return cores;
  }

  @Override
  public void start(String driverHost, int driverPort, Listener listener) {
    this.driverHost = driverHost;
    this.driverPort = driverPort;
    this.listener = listener;
    try {
      scratch = AppScratchDir.create(conf);
      workDir = scratch.dir();
      classPath = String.join(File.pathSeparator, classPath());
      for (int i = 1; i <= executors; i++) {
        launch();
      }
      LOG.info("Started {} executor JVMs; their logs are in {}", executors, workDir);
    } catch (IOException | UncheckedIOException e) {
      stop();
      throw new WeftException("cannot start local-cluster executors: " + e.getMessage(), e);
    }
  }

  private void launch() throws IOException {
    String id;
    synchronized (processes) {
      id = String.valueOf(nextExecutorId++);
    }
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + memoryMb + "m", "-cp", classPath,
        LocalClusterExecutorMain.class.getName(), id, driverHost, String.valueOf(driverPort),
        String.valueOf(cores), workDir.toString());
    File log = workDir.resolve("executor-" + id + ".log").toFile();
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log);
    pb.environment().put(io.weft.network.TransportConf.CRYPTO_ENV,
        String.valueOf(conf.get(io.weft.config.SecurityOptions.CRYPTO_ENABLED)));
    Process p = pb.start();
    synchronized (processes) {
      if (stopping) { // a replacement started while the context stops: stop() no longer sees it
        p.destroyForcibly();
        return;
      }
      processes.put(id, p);
    }
    // through the child's stdin: never in a file, on the command line or in the environment
    try (OutputStream stdin = p.getOutputStream()) {
      stdin.write(secret);
    }
    watch(id, p, log);
  }

  private void watch(String id, Process p, File log) {
    Thread t = new Thread(() -> {
      try {
        int code = p.waitFor();
        if (!stopping) {
          String why = code == ExecutorProcess.EXIT_VM_ERROR
              ? ", after a task's OutOfMemoryError or other fatal JVM error" : "";
          ended(id, "executor process exited with code " + code + why + " (log: " + log + ")");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "executor-" + id + "-waiter");
    t.setDaemon(true);
    t.start();
  }

  /** A process ended while the application runs: report it, then replace it if the budget allows. */
  private void ended(String id, String reason) {
    boolean replace;
    int failed;
    synchronized (processes) {
      processes.remove(id);
      failed = ++failures;
      replace = failed <= maxFailures;
    }
    listener.executorLost(id, reason);
    String why = failed + " executor processes failed, more than weft.executor.maxFailures (" + maxFailures
        + ") allows, so lost executors are no longer replaced; last: executor " + id + ": " + reason;
    if (replace) {
      try {
        LOG.info("Replacing lost executor {} ({} of {} executor failures allowed)", id, failed, maxFailures);
        launch();
        return;
      } catch (IOException e) {
        why = "cannot start a replacement for lost executor " + id + ": " + e.getMessage();
        LOG.error(why, e);
      }
    }
    boolean noneLeft;
    synchronized (processes) {
      noneLeft = processes.isEmpty();
    }
    if (noneLeft && !stopping) {
      listener.executorsExhausted(why);
    }
  }

  /** The driver's class path, then the jars of the application's class loader (weft submit's). */
  private static List<String> classPath() {
    Set<String> entries = new LinkedHashSet<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
    for (ClassLoader l = Thread.currentThread().getContextClassLoader(); l != null; l = l.getParent()) {
      if (l instanceof URLClassLoader u) {
        for (URL url : u.getURLs()) {
          if (url.getProtocol().equals("file")) {
            entries.add(url.getPath());
          }
        }
      }
    }
    return new ArrayList<>(entries);
  }

  /** Kills one executor's process (the driver gave up on it; tests use it to lose an executor). */
  @Override
  public void kill(String executorId) {
    Process p;
    synchronized (processes) {
      p = processes.get(executorId);
    }
    if (p != null) {
      p.destroyForcibly();
    }
  }

  @Override
  public void stop() {
    stopping = true; // before taking the lock: launch() checks it under the lock
    List<Process> all;
    synchronized (processes) {
      all = new ArrayList<>(processes.values());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (Process p : all) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
          p.destroy();
          if (!p.waitFor(2, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    if (scratch != null) {
      scratch.close();
    }
  }
}
