package io.weft.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Wall times of one workload's runs on one engine: median, min and max, the median's throughput,
 * and the runs' peak resident memory. The
 * median rather than the mean, because one run disturbed by the machine should not move it.
 */
record RunStats(String name, Engine engine, long inputBytes, List<Double> seconds, List<Long> peakRssBytes) {
  RunStats {
    if (seconds.isEmpty()) {
      throw new IllegalArgumentException("no runs of " + name);
    }
    peakRssBytes = List.copyOf(peakRssBytes);
    List<Double> sorted = new ArrayList<>(seconds);
    Collections.sort(sorted);
    seconds = List.copyOf(sorted);
  }

  /** The middle run, or the mean of the two middle runs for an even count. */
  double median() {
    int n = seconds.size();
    return n % 2 == 1 ? seconds.get(n / 2) : (seconds.get(n / 2 - 1) + seconds.get(n / 2)) / 2;
  }

  double min() {
    return seconds.get(0);
  }

  double max() {
    return seconds.get(seconds.size() - 1);
  }

  /** The highest peak resident memory of any run, or -1 where it could not be read. */
  long maxPeakRssBytes() {
    return peakRssBytes.stream().mapToLong(Long::longValue).max().orElse(-1);
  }

  /** Input MiB per second of the median run. */
  double mibPerSecond() {
    return inputBytes / (double) (1 << 20) / median();
  }
}
