package io.weft.examples;

import io.weft.Dataset;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.util.List;

/**
 * Counts the lines of IN that contain WORD (a plain substring) and writes the count to OUT as a
 * one-line text output. No shuffle: one stage of filtering tasks. With {@code --explain} first,
 * prints the physical plan before running.
 *
 * <pre>bin/weft submit --master local[2] --class io.weft.examples.Grep examples.jar [--explain] IN WORD OUT</pre>
 */
public final class Grep {
  private Grep() {}

  public static void main(String[] args) {
    boolean explain = ExplainFlag.requested(args);
    args = ExplainFlag.strip(args);
    if (args.length != 3) {
      throw new IllegalArgumentException("Usage: Grep [--explain] <input> <word> <output>");
    }
    try (WeftContext wc = WeftContext.create(new WeftConf().setIfMissing("weft.app.name", "grep"))) {
      Dataset<String> matching = matching(wc, args[0], args[1]);
      if (explain) {
        matching.printExplain();
      }
      long count = matching.count();
      wc.parallelize(List.of(count), 1).saveAsTextFile(args[2]);
    }
  }

  /** The lines of {@code input} that contain {@code word}. */
  public static Dataset<String> matching(WeftContext wc, String input, String word) {
    return wc.textFile(input).filter(line -> line.contains(word));
  }
}
