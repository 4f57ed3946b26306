package io.weft.examples;

import io.weft.Dataset;
import io.weft.WeftConf;
import io.weft.WeftContext;

/**
 * Sorts lines by their first 10 characters (the TeraSort key) into a total order: every line of
 * part-00000 sorts before every line of part-00001, and so on. Range partitioning by sampled
 * keys keeps the parts about equal. With {@code --explain} first, prints the physical plan
 * before running.
 *
 * <pre>bin/weft submit --master local[2] --class io.weft.examples.Sort examples.jar [--explain] IN OUT [PARTITIONS]</pre>
 */
public final class Sort {
  private Sort() {}

  public static void main(String[] args) {
    boolean explain = ExplainFlag.requested(args);
    args = ExplainFlag.strip(args);
    if (args.length < 2 || args.length > 3) {
      throw new IllegalArgumentException("Usage: Sort [--explain] <input> <output> [partitions]");
    }
    try (WeftContext wc = WeftContext.create(new WeftConf().setIfMissing("weft.app.name", "sort"))) {
      Dataset<String> sorted = sorted(wc, args[0], args.length == 3 ? Integer.parseInt(args[2]) : 0);
      if (explain) {
        sorted.printExplain();
      }
      sorted.saveAsTextFile(args[1]);
    }
  }

  /** The input's lines sorted by {@link #key} into {@code partitions} parts (0: as many as the input). */
  public static Dataset<String> sorted(WeftContext wc, String input, int partitions) {
    var lines = wc.textFile(input);
    return lines.sortBy(Sort::key, true, partitions > 0 ? partitions : lines.getNumPartitions());
  }

  /** The sort key: the first 10 characters (the whole line if shorter). */
  public static String key(String line) {
    return line.length() <= 10 ? line : line.substring(0, 10);
  }
}
