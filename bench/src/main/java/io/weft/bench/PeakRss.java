package io.weft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The peak resident memory of a running process, read from Linux's {@code /proc/PID/status}
 * ({@code VmHWM}, the kernel's own high-water mark) while it runs; the last sample before the
 * process ends is its peak. Every run the benchmark compares is one JVM ({@code bin/weft}
 * {@code exec}s it; {@code --compare} needs {@code local[N]}), so that process is all there is.
 * Its children are deliberately not added: a JVM that forks a helper (Hadoop runs {@code chmod},
 * {@code groups}...) gives the child, until it execs, a copy of its own resident pages, and adding
 * that child's mark once counted a 1.3 GiB run as 4.7 GiB.
 */
final class PeakRss implements Runnable {
  private static final long SAMPLE_MILLIS = 20;
  private final Process process;
  private final Thread thread;
  /** Written by the sampling thread only; read after it ended. */
  private volatile long peakBytes = -1;

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

  /** Waits for the sampling to end (the process has exited) and returns its peak bytes, or -1 without /proc. */
  long peakBytes() throws InterruptedException {
    thread.join();
    return peakBytes;
  }

  @Override
  public void run() {
    if (!Files.isDirectory(Path.of("/proc/self"))) {
      return;
    }
    while (process.isAlive()) {
      long kib = vmHwmKib(process.pid());
      if (kib > 0) {
        peakBytes = Math.max(peakBytes, kib * 1024);
      }
      try {
        Thread.sleep(SAMPLE_MILLIS);
      } catch (InterruptedException e) {
        return;
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
      // the process ended between the check and the read
    }
    return -1;
  }
}
