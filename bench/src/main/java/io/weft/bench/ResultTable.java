package io.weft.bench;

import io.weft.config.Sizes;
import java.lang.management.ManagementFactory;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's result as a markdown table (readable on a console too) with the facts needed
 * to compare it with another run: cores, memory, the JVM options and version of the runs.
 */
final class ResultTable {
  private ResultTable() {}

  static String markdown(BenchmarkOptions options, List<RunStats> results) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Weft benchmark\n\n");
    sb.append(String.format(Locale.ROOT, "%d run(s) per example, master `%s`, input size %s each, seed %d, %s%n%n",
        options.runs(), options.master(), Sizes.formatBytes(options.sizeBytes()),
        options.seed(), ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
    sb.append("| example | input | median s | min s | max s | MiB/s (median) |\n");
    sb.append("|---|---:|---:|---:|---:|---:|\n");
    for (RunStats r : results) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.1f |%n", r.name(),
          Sizes.formatBytes(r.inputBytes()), r.median(), r.min(), r.max(), r.mibPerSecond()));
    }
    sb.append("\n");
    for (String fact : machineFacts()) {
      sb.append("- ").append(fact).append('\n');
    }
    return sb.toString();
  }

  /**
   * Facts of this JVM, which {@code bin/weft} started with the same {@code WEFT_JAVA_OPTS} as
   * every timed run, so its maximum heap is theirs.
   */
  static List<String> machineFacts() {
    List<String> facts = new ArrayList<>();
    Runtime rt = Runtime.getRuntime();
    facts.add("cores: " + rt.availableProcessors());
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      facts.add("physical memory: " + Sizes.formatBytes(os.getTotalMemorySize()));
    }
    facts.add("max heap of each run: " + Sizes.formatBytes(rt.maxMemory()));
    String opts = System.getenv("WEFT_JAVA_OPTS");
    facts.add("WEFT_JAVA_OPTS: " + (opts == null || opts.isBlank() ? "(not set)" : "`" + opts + "`"));
    facts.add("java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
        + ", " + System.getProperty("java.vendor") + ")");
    facts.add("os: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    return facts;
  }
}
