package io.weft.it.secure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches this machine's process table while a test's application runs: every process whose
 * command line mentions {@code marker} is recorded with its command line (what {@code ps}
 * shows any user) and, where readable, its environment ({@code /proc/PID/environ}), so the test
 * can search them for secrets afterwards. Samples every 100 ms on a daemon thread until
 * {@link #stop}; a process is recorded once, when first seen, since a JVM's command line and
 * initial environment do not change.
 */
public final class ProcessTable implements AutoCloseable {
  private final String marker;
  private final Map<Long, String> seen = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  private ProcessTable(String marker) {
    this.marker = marker;
    this.thread = new Thread(this::watch, "process-table-watch");
    thread.setDaemon(true);
  }

  /** Starts watching for processes whose command line contains {@code marker}. */
  public static ProcessTable watch(String marker) {
    ProcessTable t = new ProcessTable(marker);
    t.thread.start();
    return t;
  }

  private void watch() {
    while (running.get()) {
      ProcessHandle.allProcesses().forEach(p -> {
        String cmd = p.info().commandLine().orElse("");
        if (cmd.contains(marker) && !seen.containsKey(p.pid())) {
          seen.put(p.pid(), cmd + "\n" + environment(p.pid()));
        }
      });
      try {
        Thread.sleep(100); // a sampling period: the processes are what we wait for, not a time
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static String environment(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
          StandardCharsets.ISO_8859_1).replace('\0', '\n');
    } catch (IOException | RuntimeException e) {
      return ""; // gone already, or not readable: the command line is still there
    }
  }

  /** Stops watching; the command line and environment of each process seen, by pid. */
  public Map<Long, String> stop() throws InterruptedException {
    running.set(false);
    thread.join(10_000);
    return Map.copyOf(seen);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
