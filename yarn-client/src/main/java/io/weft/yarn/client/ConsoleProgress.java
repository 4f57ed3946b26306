package io.weft.yarn.client;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * The submitting client's live progress. On a terminal it is one line rewritten in place (a
 * carriage return, the new text padded over the old, cut to the terminal's width so it never
 * wraps), and other messages (state changes, the tracking URL) first end that line. Elsewhere (a
 * file, a pipe, Oozie's launcher log) it is plain lines: one when the progress changed, and one
 * every {@value #REPEAT_MS} ms while it did not, so a log shows the application alive without a
 * line per poll.
 *
 * <p>Threading: the monitoring thread only.
 */
final class ConsoleProgress {
  static final long REPEAT_MS = 30_000;

  private final PrintStream out;
  private final boolean terminal;
  private final int width;
  private final LongSupplier clock;
  private String last;
  private long lastPrintedMs;
  /** Characters of the progress line now on the terminal; 0 when none is open. */
  private int onScreen;

  ConsoleProgress(PrintStream out, boolean terminal, int width, LongSupplier clock) {
    this.out = out;
    this.terminal = terminal;
    this.width = Math.max(20, width);
    this.clock = clock;
  }

  /**
   * For {@code out}: the updating line when it is this process's standard output and that is a
   * terminal ({@link System#console()}, which on Java 17 needs both standard input and output to
   * be one); its width from {@code COLUMNS} when the shell exports it, else 80.
   */
  static ConsoleProgress forOutput(PrintStream out) {
    boolean terminal = out == System.out && System.console() != null;
    int width = 80;
    try {
      String columns = System.getenv("COLUMNS");
      width = columns == null ? 80 : Integer.parseInt(columns.trim());
    } catch (NumberFormatException e) {
      // keep 80
    }
    return new ConsoleProgress(out, terminal, width, System::currentTimeMillis);
  }

  boolean terminal() {
    return terminal;
  }

  /** Shows {@code line} as the current progress. */
  void progress(String line) {
    long now = clock.getAsLong();
    if (terminal) {
      if (line.equals(last)) {
        return;
      }
      String shown = line.length() >= width ? line.substring(0, width - 1) : line;
      out.print("\r" + shown + " ".repeat(Math.max(0, onScreen - shown.length())));
      out.flush();
      onScreen = shown.length();
    } else {
      if (line.equals(last) && now - lastPrintedMs < REPEAT_MS) {
        return;
      }
      out.println(line);
      lastPrintedMs = now;
    }
    last = line;
  }

  /** Prints {@code text} on a line of its own (after ending an open progress line). */
  void message(String text) {
    endLine();
    out.println(text);
  }

  /** Ends an open progress line, so what is printed next starts on a fresh line. */
  void endLine() {
    if (terminal && onScreen > 0) {
      out.println();
      onScreen = 0;
      last = null;
    }
  }
}
