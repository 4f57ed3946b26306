package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.junit.jupiter.api.Test;

class ApplicationMonitorTest {
  private static final ApplicationId APP = ApplicationId.newInstance(1_700_000_000_000L, 7);

  private static ApplicationReport report(YarnApplicationState state, float progress, String diagnostics) {
    ApplicationReport r = ApplicationReport.newInstance(APP, null, "u", "default", "app", "host", 0, null, state,
        diagnostics, null, 0, 0, 0, FinalApplicationStatus.UNDEFINED, null, null, progress, "WEFT", null);
    return r;
  }

  @Test
  void progressShownNeverGoesBackwards() throws IOException {
    Deque<ApplicationReport> script = new ArrayDeque<>(List.of(
        report(YarnApplicationState.RUNNING, 0.5f, ""),
        report(YarnApplicationState.RUNNING, 0.9f, ""),
        report(YarnApplicationState.RUNNING, 0.8f, ""), // a new job's tasks
        report(YarnApplicationState.RUNNING, 0.85f, ""),
        report(YarnApplicationState.RUNNING, 0.95f, ""),
        report(YarnApplicationState.FINISHED, 1f, "")));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new ApplicationMonitor(id -> script.poll(), new PrintStream(bytes, true, StandardCharsets.UTF_8), 1).awaitEnd(APP);
    List<Integer> shown = new ArrayList<>();
    Matcher m = Pattern.compile("RUNNING +(\\d+)%").matcher(bytes.toString(StandardCharsets.UTF_8));
    while (m.find()) {
      shown.add(Integer.parseInt(m.group(1)));
    }
    assertEquals(List.of(50, 90, 95), shown, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void diagnosticsShowTheSummaryWithoutTheDriversStackTrace() {
    String diagnostics = io.weft.yarn.Diagnostics.withTrace("Application C failed: boom",
        new IllegalStateException("boom"));
    String shown = ApplicationMonitor.describeDiagnostics(report(YarnApplicationState.FAILED, 1f, diagnostics));
    assertEquals(" (Application C failed: boom)", shown);
    assertTrue(io.weft.yarn.Diagnostics.trace(diagnostics).contains("\tat "), diagnostics);
  }
}
