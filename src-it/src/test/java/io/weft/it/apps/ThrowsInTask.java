package io.weft.it.apps;

import io.weft.WeftConf;
import io.weft.WeftContext;

/**
 * A Weft program whose map function throws on every line holding "poison": each attempt of
 * that task fails, so the job fails after weft.task.maxFailures attempts. Arguments: IN OUT.
 */
public final class ThrowsInTask {
  private ThrowsInTask() {}

  public static void main(String[] args) {
    try (WeftContext wc = WeftContext.create(new WeftConf())) {
      wc.textFile(args[0]).map(line -> {
        if (line.contains("poison")) {
          throw new IllegalArgumentException("cannot parse poison record '" + line + "'");
        }
        return line.toUpperCase();
      }).saveAsTextFile(args[1]);
    }
  }
}
