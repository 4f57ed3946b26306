package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.junit.jupiter.api.Test;

/** One updating line on a terminal; plain lines, on change and every 30 s, elsewhere. */
class ConsoleProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private long now;

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }

  @Test
  void onATerminalTheLineIsRewrittenInPlaceAndMessagesEndIt() {
    ConsoleProgress c = new ConsoleProgress(out, true, 20, () -> now);
    c.message("app is RUNNING");
    c.progress("app  10% stage 0");
    c.progress("app  10% stage 0"); // unchanged: nothing
    c.progress("app  50%");
    c.progress("app 100% stage 1: 3/4 tasks"); // wider than the terminal: cut to 19
    c.message("app is FINISHED");
    c.endLine(); // nothing open: nothing printed
    assertEquals("app is RUNNING\n"
        + "\rapp  10% stage 0"
        + "\rapp  50%        " // padded over the 8 characters left of the longer line
        + "\rapp 100% stage 1: 3"
        + "\n"
        + "app is FINISHED\n", text());
  }

  @Test
  void elsewhereALineOnChangeAndEveryThirtySecondsWhileUnchanged() {
    ConsoleProgress c = new ConsoleProgress(out, false, 20, () -> now);
    c.progress("app 10%");
    now = 29_999;
    c.progress("app 10%");
    now = 30_000;
    c.progress("app 10%");
    now = 30_500;
    c.progress("app 20% stage 1: a long line is not cut in a log");
    c.message("app is FINISHED");
    assertEquals("app 10%\napp 10%\napp 20% stage 1: a long line is not cut in a log\napp is FINISHED\n", text());
    assertFalse(text().contains("\r"));
  }

  @Test
  void theMonitorShowsOneUpdatingLineBetweenItsMessagesOnATerminal() throws IOException {
    ApplicationId app = ApplicationId.newInstance(1_700_000_000_000L, 3);
    Deque<ApplicationReport> script = new ArrayDeque<>();
    for (float p : new float[] {0.25f, 0.5f, 0.5f, 0.75f}) {
      script.add(report(app, YarnApplicationState.RUNNING, p));
    }
    script.add(report(app, YarnApplicationState.FINISHED, 1f));
    new ApplicationMonitor(id -> script.poll(), new ConsoleProgress(out, true, 200, () -> now), 1).awaitEnd(app);
    List<String> lines = List.of(text().split("\n"));
    assertEquals(List.of(app + " is RUNNING",
        "\r" + app + " RUNNING  25%\r" + app + " RUNNING  50%\r" + app + " RUNNING  75%",
        app + " is FINISHED"), lines);
  }

  private static ApplicationReport report(ApplicationId app, YarnApplicationState state, float progress) {
    return ApplicationReport.newInstance(app, null, "u", "default", "app", "host", 0, null, state,
        "", null, 0, 0, 0, FinalApplicationStatus.UNDEFINED, null, null, progress, "WEFT", null);
  }
}
