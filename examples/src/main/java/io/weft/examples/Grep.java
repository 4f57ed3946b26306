package io.weft.examples;

import io.weft.WeftConf;
import io.weft.WeftContext;
import java.util.List;

/**
 * Counts the lines of IN that contain WORD (a plain substring) and writes the count to OUT as a
 * one-line text output. No shuffle: one stage of filtering tasks.
 *
 * <pre>bin/weft submit --master local[2] --class io.weft.examples.Grep examples.jar IN WORD OUT</pre>
 */
public final class Grep {
  private Grep() {}

  public static void main(String[] args) {
    if (args.length != 3) {
      throw new IllegalArgumentException("Usage: Grep <input> <word> <output>");
    }
    String word = args[1];
    try (WeftContext wc = WeftContext.create(new WeftConf().setIfMissing("weft.app.name", "grep"))) {
      long count = wc.textFile(args[0]).filter(line -> line.contains(word)).count();
      wc.parallelize(List.of(count), 1).saveAsTextFile(args[2]);
    }
  }
}
