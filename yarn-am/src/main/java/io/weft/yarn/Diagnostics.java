package io.weft.yarn;

/**
 * Turns an exception into the one-message form Weft reports to users and YARN: the first line of
 * its message, then the first line of each cause's, without stack traces. Used for the
 * ApplicationMaster's final diagnostic and by the client. Stateless.
 */
public final class Diagnostics {
  private Diagnostics() {}

  private static final int MAX_CAUSES = 5;

  /**
   * Separates a diagnostic's summary from the driver's stack trace that follows it: the
   * ApplicationMaster puts both into its final diagnostic, the client shows the trace only with
   * {@code --verbose}.
   */
  public static final String TRACE_MARKER = "\n---- stack trace of the driver ----\n";

  /** Stack traces are cut here: YARN bounds an attempt's diagnostics (64 KB by default). */
  static final int MAX_TRACE_CHARS = 16_000;

  /** {@code summary}, then {@link #TRACE_MARKER} and {@code t}'s stack trace (cut to 16,000 characters). */
  public static String withTrace(String summary, Throwable t) {
    java.io.StringWriter trace = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(trace));
    String text = trace.toString().strip();
    if (text.length() > MAX_TRACE_CHARS) {
      text = text.substring(0, MAX_TRACE_CHARS) + "\n\t... (cut)";
    }
    return summary + TRACE_MARKER + text;
  }

  /** The part of a diagnostic before the stack trace (all of it when there is none). */
  public static String summary(String diagnostic) {
    int at = diagnostic.indexOf(TRACE_MARKER);
    return at < 0 ? diagnostic : diagnostic.substring(0, at);
  }

  /** The stack trace a diagnostic carries, or {@code null}. */
  public static String trace(String diagnostic) {
    int at = diagnostic.indexOf(TRACE_MARKER);
    return at < 0 ? null : diagnostic.substring(at + TRACE_MARKER.length());
  }

  /** E.g. {@code JobFailedException: job 0 failed\n  caused by IOException: disk full}. */
  public static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder();
    Throwable cur = t;
    int depth = 0;
    while (cur != null && depth++ < MAX_CAUSES) {
      String message = cur.getMessage() == null ? "" : cur.getMessage().lines().findFirst().orElse("");
      // a cause that only repeats what was said adds noise, not information
      if (message.isEmpty() || sb.indexOf(message) < 0) {
        sb.append(sb.length() == 0 ? "" : "\n  caused by ").append(cur.getClass().getSimpleName())
            .append(message.isEmpty() ? "" : ": " + message);
      }
      cur = cur.getCause() == cur ? null : cur.getCause();
    }
    return sb.toString();
  }
}
