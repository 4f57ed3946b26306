package io.weft.it.apps;

import io.weft.WeftConf;
import io.weft.WeftContext;

/**
 * Counts the lines of a text input (argument: its path) and prints {@code CountsLines: N lines}
 * on the driver's stdout: one stage whose every task reads an input split, for locality tests.
 */
public final class CountsLines {
  private CountsLines() {}

  public static void main(String[] args) {
    try (WeftContext wc = WeftContext.create(new WeftConf())) {
      System.out.println("CountsLines: " + wc.textFile(args[0]).count() + " lines");
    }
  }
}
