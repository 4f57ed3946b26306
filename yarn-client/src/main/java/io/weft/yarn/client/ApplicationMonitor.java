package io.weft.yarn.client;

import java.io.IOException;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.exceptions.YarnException;

/**
 * Follows a submitted application until it ends, printing to the user: the tracking URL when it
 * appears or changes, each state change, and every {@code weft.yarn.report.interval} a progress
 * line with the report's progress (never lower than one shown before) and the
 * ApplicationMaster's own progress line (stages, jobs, executors running of asked): one updating
 * line on a terminal, plain lines when they changed (and every 30 s regardless) elsewhere
 * ({@link ConsoleProgress}).
 *
 * <p>Threading: the calling thread, which it blocks (sleeping between reports). Interruption ends
 * the wait with an {@link IOException}; the application itself keeps running. Failure: RPC errors
 * propagate.
 */
final class ApplicationMonitor {
  static final Set<YarnApplicationState> TERMINAL =
      EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED);

  /** Where reports come from: the YARN client, or a test's script. */
  interface Reports {
    ApplicationReport get(ApplicationId appId) throws YarnException, IOException;
  }

  private final Reports reports;
  private final ConsoleProgress console;
  private final long intervalMs;

  ApplicationMonitor(YarnClient yarn, PrintStream out, long intervalMs) {
    this(yarn::getApplicationReport, ConsoleProgress.forOutput(out), intervalMs);
  }

  ApplicationMonitor(Reports reports, PrintStream out, long intervalMs) {
    this(reports, ConsoleProgress.forOutput(out), intervalMs);
  }

  ApplicationMonitor(Reports reports, ConsoleProgress console, long intervalMs) {
    this.reports = reports;
    this.console = console;
    this.intervalMs = intervalMs;
  }

  /** Blocks until the application is FINISHED, FAILED or KILLED; returns its last report. */
  ApplicationReport awaitEnd(ApplicationId appId) throws IOException {
    YarnApplicationState lastState = null;
    String lastUrl = null;
    // what was shown never goes back: a new job's tasks lower YARN's figure, not the user's
    float shown = 0f;
    while (true) {
      ApplicationReport report = report(appId);
      YarnApplicationState state = report.getYarnApplicationState();
      if (state != lastState) {
        console.message(appId + " is " + state + describeDiagnostics(report));
        lastState = state;
      }
      String url = report.getTrackingUrl();
      if (url != null && !url.isEmpty() && !Objects.equals(url, lastUrl)) {
        console.message("Tracking URL: " + url);
        lastUrl = url;
      }
      if (TERMINAL.contains(state)) {
        console.endLine();
        return report;
      }
      if (state == YarnApplicationState.RUNNING) {
        // one updating line on a terminal; in a log a line when something moved, and now and
        // then anyway so a long stage shows it is alive (ConsoleProgress)
        shown = Math.max(shown, report.getProgress());
        console.progress(progressLine(report, shown) + amProgress(report));
      }
      try {
        Thread.sleep(intervalMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        console.endLine();
        throw new IOException("interrupted while waiting for " + appId + "; it keeps running", e);
      }
    }
  }

  ApplicationReport report(ApplicationId appId) throws IOException {
    try {
      return reports.get(appId);
    } catch (YarnException e) {
      throw new IOException("cannot get the report of " + appId + ": " + e.getMessage(), e);
    }
  }

  /**
   * The ApplicationMaster's own progress line (running stages with finished/total tasks, jobs),
   * read from its status server; empty when it cannot be had quickly (the AM is starting, or is
   * not reachable from here), since the percentage alone still shows progress.
   */
  static String amProgress(ApplicationReport report) {
    String base = report.getOriginalTrackingUrl();
    if (base == null || !base.startsWith("http")) {
      return "";
    }
    try {
      java.net.HttpURLConnection c = (java.net.HttpURLConnection)
          java.net.URI.create(base.endsWith("/") ? base + "progress" : base + "/progress").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(500);
      try (java.io.InputStream in = c.getInputStream()) {
        String text = new String(in.readNBytes(512), java.nio.charset.StandardCharsets.UTF_8).trim();
        return text.isEmpty() ? "" : "  " + text;
      } finally {
        c.disconnect();
      }
    } catch (IOException | IllegalArgumentException e) {
      return "";
    }
  }

  /** The report's id, state, {@code progress} as a percentage, and its diagnostics. */
  static String progressLine(ApplicationReport report, float progress) {
    return String.format(Locale.ROOT, "%s %s %3.0f%%%s", report.getApplicationId(),
        report.getYarnApplicationState(), progress * 100, describeDiagnostics(report));
  }

  /** Exit code of an ended application: 0 only for FINISHED with final status SUCCEEDED. */
  static int exitCode(ApplicationReport report) {
    return report.getYarnApplicationState() == YarnApplicationState.FINISHED
        && report.getFinalApplicationStatus() == FinalApplicationStatus.SUCCEEDED ? 0 : 1;
  }

  /** The diagnostics without the driver's stack trace (which only --verbose prints), in parentheses. */
  static String describeDiagnostics(ApplicationReport report) {
    String d = report.getDiagnostics();
    return d == null || d.isBlank() ? "" : " (" + io.weft.yarn.Diagnostics.summary(d).strip() + ")";
  }
}
