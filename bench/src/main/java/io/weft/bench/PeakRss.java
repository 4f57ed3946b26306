package io.weft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The peak resident memory of a running process, read from Linux's {@code /proc/PID/status}
 * ({@code VmHWM}, the kernel's own high-water mark) while it runs: the largest mark seen, among the
 * process and its descendants, over all samples.
 *
 * <p>Why descendants: {@code bin/weft submit} usually {@code exec}s its JVM (same process, and the
 * kernel starts a fresh {@code VmHWM} at the exec), but a build's first submission runs the JVM
 * as a child of the script instead, to write its class-data sharing archive when it exits
 * ({@code run_client} in {@code bin/weft}); sampling the script's process alone then reported
 * the shell's 3.3 MiB for a 400 MiB run. Why the largest and not the sum: a JVM that forks a
 * helper (Hadoop runs {@code chmod}, {@code groups}...) gives the child, until it execs, a copy
 * of its own resident pages and high-water mark, so adding them once counted a 1.3 GiB run as
 * 4.7 GiB; a forked copy's mark never exceeds its parent's, so the largest single mark is the
 * run's.
 *
 * <p>Children are found through {@code /proc/PID/task/PID/children} (the kernel's list of the
 * children forked by the main thread, which is where a shell forks; read in microseconds, unlike
 * a scan of every process), recursively. Linux only: {@code -1} (shown {@code n/a}) elsewhere.
 */
final class PeakRss implements Runnable {
  private static final long SAMPLE_MILLIS = 20;
  /** A shell, its JVM, and whatever that forks: deeper trees are not runs this benchmark makes. */
  private static final int MAX_DEPTH = 4;
  private final Process process;
  private final Thread thread;
  /** Written by the sampling thread only; read by {@link #peakBytes} after it ended, or by tests while it runs. */
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

  /** The peak so far, while the process runs (-1 before the first sample). */
  long peakSoFar() {
    return peakBytes;
  }

  @Override
  public void run() {
    if (!Files.isDirectory(Path.of("/proc/self"))) {
      return;
    }
    while (process.isAlive()) {
      long kib = treeVmHwmKib(process.pid(), 0);
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

  /** The largest {@code VmHWM} of {@code pid} and its descendants, in KiB; -1 if all are gone. */
  static long treeVmHwmKib(long pid, int depth) {
    long max = vmHwmKib(pid);
    if (depth < MAX_DEPTH) {
      for (long child : children(pid)) {
        max = Math.max(max, treeVmHwmKib(child, depth + 1));
      }
    }
    return max;
  }

  /** The children forked by {@code pid}'s main thread; none if it is gone or the kernel lacks the list. */
  static List<Long> children(long pid) {
    List<Long> children = new ArrayList<>();
    try {
      String list = Files.readString(Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children"));
      for (String child : list.trim().split("\\s+")) {
        if (!child.isEmpty()) {
          children.add(Long.parseLong(child));
        }
      }
    } catch (NoSuchFileException e) {
      // the process ended, or a kernel without CONFIG_PROC_CHILDREN: its own mark is all there is
    } catch (IOException | RuntimeException e) {
      // the process ended while being read
    }
    return children;
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
