package io.weft.bench;

import io.weft.config.Sizes;
import java.lang.management.ManagementFactory;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The benchmark's result as a markdown table (readable on a console too) with the facts needed
 * to compare it with another run: cores, memory, the JVM options and version of the runs.
 */
final class ResultTable {
  private ResultTable() {}

  static String markdown(BenchmarkOptions options, List<RunStats> results) {
    StringBuilder sb = header(options, "Weft benchmark");
    sb.append("| example | input | median s | min s | max s | MiB/s (median) |\n");
    sb.append("|---|---:|---:|---:|---:|---:|\n");
    for (RunStats r : results) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.1f |%n", r.name(),
          Sizes.formatBytes(r.inputBytes()), r.median(), r.min(), r.max(), r.mibPerSecond()));
    }
    return footer(sb);
  }

  /**
   * The comparison of {@code --compare}: per example, each engine's median seconds, Weft's ratio
   * to Spark and to the plain single-threaded program (below 1 means Weft is faster), and each
   * engine's highest peak RSS.
   */
  static String comparison(BenchmarkOptions options, List<RunStats> results) {
    StringBuilder sb = header(options, "Weft compared");
    List<Engine> engines = options.engines();
    sb.append("| example | input |");
    for (Engine e : engines) {
      sb.append(' ').append(e.label).append(" s |");
    }
    for (Engine e : engines.subList(1, engines.size())) {
      sb.append(" Weft/").append(e.label).append(" |");
    }
    for (Engine e : engines) {
      sb.append(' ').append(e.label).append(" peak RSS |");
    }
    sb.append("\n|---|---:|").append("---:|".repeat(3 * engines.size() - 1)).append('\n');
    for (String example : results.stream().map(RunStats::name).distinct().toList()) {
      Map<Engine, RunStats> byEngine = new EnumMap<>(Engine.class);
      results.stream().filter(r -> r.name().equals(example)).forEach(r -> byEngine.put(r.engine(), r));
      RunStats weft = byEngine.get(Engine.WEFT);
      sb.append("| ").append(example).append(" | ").append(Sizes.formatBytes(weft.inputBytes())).append(" |");
      for (Engine e : engines) {
        sb.append(String.format(Locale.ROOT, " %.2f |", byEngine.get(e).median()));
      }
      for (Engine e : engines.subList(1, engines.size())) {
        sb.append(String.format(Locale.ROOT, " %.2f |", weft.median() / byEngine.get(e).median()));
      }
      for (Engine e : engines) {
        long peak = byEngine.get(e).maxPeakRssBytes();
        sb.append(' ').append(peak < 0 ? "n/a" : Sizes.formatBytes(peak)).append(" |");
      }
      sb.append('\n');
    }
    sb.append("\nMedians of ").append(options.runs()).append(" run(s), engines alternating run by run, each run a ")
        .append("fresh JVM; the outputs of all runs were checked to hold the same records.\n");
    return footer(sb);
  }

  private static StringBuilder header(BenchmarkOptions options, String title) {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(title).append("\n\n");
    sb.append(String.format(Locale.ROOT, "%d run(s) per example, master `%s`, input size %s each, seed %d, %s%n%n",
        options.runs(), options.master(), Sizes.formatBytes(options.sizeBytes()),
        options.seed(), ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
    return sb;
  }

  private static String footer(StringBuilder sb) {
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
