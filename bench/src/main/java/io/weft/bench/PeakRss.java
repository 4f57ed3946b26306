package io.weft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The peak resident memory of a running process and its descendants, read from Linux's
 * {@code /proc/PID/status} ({@code VmHWM}, the kernel's own high-water mark of each process) while
 * the process runs. Each process's mark only grows, so sampling it every few milliseconds loses at
 * most what a process allocated in its last interval; the result is the sum of each process's
 * highest mark (a {@code bin/weft} run is one JVM: the launcher script {@code exec}s it).
 */
final class PeakRss implements Runnable {
  private static final long SAMPLE_MILLIS = 20;
  private final Process process;
  private final Map<Long, Long> peakByPid = new HashMap<>();
  private final Thread thread;

  private PeakRss(Process process) {
    this.process = process;
    this.thread = new Thread(this, "peak-rss-" + process.pid());
    thread.setDaemon(true);
  }

  /** Starts sampling {@code process} until it exits. */
  static PeakRss watch(Process process) {
    PeakRss watcher = new PeakRss(process);
    watcher.thread.start();
    return watcher;
  }

  /** Waits for the sampling to end (the process has exited) and returns the peak bytes, or -1 without /proc. */
  long peakBytes() throws InterruptedException {
    thread.join();
    synchronized (peakByPid) {
      return peakByPid.isEmpty() ? -1 : peakByPid.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  @Override
  public void run() {
    if (!Files.isDirectory(Path.of("/proc/self"))) {
      return;
    }
    while (process.isAlive()) {
      sample(process.toHandle());
      try (Stream<ProcessHandle> children = process.descendants()) {
        children.forEach(this::sample);
      }
      try {
        Thread.sleep(SAMPLE_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sample(ProcessHandle handle) {
    long kib = vmHwmKib(handle.pid());
    if (kib > 0) {
      synchronized (peakByPid) {
        peakByPid.merge(handle.pid(), kib * 1024, Math::max);
      }
    }
  }

  /** The {@code VmHWM} line of {@code /proc/PID/status} in KiB, or -1 if the process is gone. */
  private static long vmHwmKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.substring(6).replace("kB", "").trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended between the listing and the read
    }
    return -1;
  }
}
