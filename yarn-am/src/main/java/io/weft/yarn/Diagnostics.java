package io.weft.yarn;

/**
 * Turns an exception into the one-message form Weft reports to users and YARN: the first line of
 * its message, then the first line of each cause's, without stack traces. Used for the
 * ApplicationMaster's final diagnostic and by the client. Stateless.
 */
public final class Diagnostics {
  private Diagnostics() {}

  private static final int MAX_CAUSES = 5;

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
