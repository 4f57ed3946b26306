package io.weft.bench.yarn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The per-phase table of {@code bin/weft bench --yarn}, as Markdown: one row per run (the first of
 * each workload cold: a fresh runtime archive directory, so the upload and the NodeManagers'
 * localization are in it; the others warm), then per workload the median of its runs. A missing
 * phase (no executor when the tasks ran inside the AM) shows as "—".
 */
final class PhaseTable {
  private PhaseTable() {}

  /** One timed run of a workload. */
  record Row(String workload, int run, boolean cold, List<Double> phases) {}

  static String markdown(List<Row> rows) {
    StringBuilder sb = new StringBuilder("| workload | run |");
    RunTimeline.PHASES.forEach(p -> sb.append(' ').append(p).append(" |"));
    sb.append('\n').append("|---|---|");
    RunTimeline.PHASES.forEach(p -> sb.append("---:|"));
    sb.append('\n');
    List<String> workloads = rows.stream().map(Row::workload).distinct().toList();
    for (String w : workloads) {
      List<Row> runs = rows.stream().filter(r -> r.workload().equals(w)).toList();
      for (Row r : runs) {
        line(sb, w, r.run() + (r.cold() ? " (cold)" : " (warm)"), r.phases());
      }
      line(sb, w, "**median**", medians(runs));
    }
    return sb.toString();
  }

  /** Per phase, the median over {@code runs} of the values present (null if none is). */
  static List<Double> medians(List<Row> runs) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < RunTimeline.PHASES.size(); i++) {
      int phase = i;
      List<Double> values = runs.stream().map(r -> r.phases().get(phase)).filter(Objects::nonNull).sorted().toList();
      out.add(median(values));
    }
    return out;
  }

  static Double median(List<Double> sorted) {
    int n = sorted.size();
    if (n == 0) {
      return null;
    }
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void line(StringBuilder sb, String workload, String run, List<Double> phases) {
    sb.append("| ").append(workload).append(" | ").append(run).append(" |");
    for (Double p : phases) {
      sb.append(' ').append(p == null ? "—" : String.format(Locale.ROOT, "%.2f", p)).append(" |");
    }
    sb.append('\n');
  }
}
