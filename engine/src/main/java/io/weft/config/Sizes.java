package io.weft.config;

import java.util.Locale;

/** Parses the size and duration strings used in configuration ({@code 64m}, {@code 3s}). */
public final class Sizes {
  private Sizes() {}

  public static long parseBytes(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.endsWith("b")) {
      s = s.substring(0, s.length() - 1);
    }
    long unit = 1;
    char last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
    switch (last) {
      case 'k' -> unit = 1L << 10;
      case 'm' -> unit = 1L << 20;
      case 'g' -> unit = 1L << 30;
      case 't' -> unit = 1L << 40;
      default -> unit = 1;
    }
    if (unit != 1) {
      s = s.substring(0, s.length() - 1);
    }
    long n = Long.parseLong(s.trim());
    if (n < 0) {
      throw new IllegalArgumentException("negative size");
    }
    return Math.multiplyExact(n, unit);
  }

  public static long parseDurationMs(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    String[][] units = {{"ms", "1"}, {"min", "60000"}, {"s", "1000"}, {"m", "60000"}, {"h", "3600000"}};
    for (String[] u : units) {
      if (s.endsWith(u[0])) {
        return Long.parseLong(s.substring(0, s.length() - u[0].length()).trim()) * Long.parseLong(u[1]);
      }
    }
    return Long.parseLong(s);
  }

  /** A human-readable byte count, e.g. {@code 1.5 MiB}. */
  public static String formatBytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }
}
