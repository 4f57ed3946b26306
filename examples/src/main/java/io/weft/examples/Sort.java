package io.weft.examples;

import io.weft.WeftConf;
import io.weft.WeftContext;

/**
 * Sorts lines by their first 10 characters (the TeraSort key) into a total order: every line of
 * part-00000 sorts before every line of part-00001, and so on. Range partitioning by sampled
 * keys keeps the parts about equal.
 *
 * <pre>bin/weft submit --master local[2] --class io.weft.examples.Sort examples.jar IN OUT [PARTITIONS]</pre>
 */
public final class Sort {
  private Sort() {}

  public static void main(String[] args) {
    if (args.length < 2 || args.length > 3) {
      throw new IllegalArgumentException("Usage: Sort <input> <output> [partitions]");
    }
    try (WeftContext wc = WeftContext.create(new WeftConf().setIfMissing("weft.app.name", "sort"))) {
      var lines = wc.textFile(args[0]);
      int partitions = args.length == 3 ? Integer.parseInt(args[2]) : lines.getNumPartitions();
      lines.sortBy(Sort::key, true, partitions).saveAsTextFile(args[1]);
    }
  }

  /** The sort key: the first 10 characters (the whole line if shorter). */
  public static String key(String line) {
    return line.length() <= 10 ? line : line.substring(0, 10);
  }
}
