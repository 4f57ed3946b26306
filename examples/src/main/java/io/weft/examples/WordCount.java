package io.weft.examples;

import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.util.Arrays;

/**
 * Counts words: splits each line on white space, drops empty tokens, writes {@code word<TAB>count}
 * lines to OUT. With {@code --explain} first, prints the physical plan before running.
 *
 * <pre>bin/weft submit --master local[2] --class io.weft.examples.WordCount examples.jar [--explain] IN OUT</pre>
 */
public final class WordCount {
  private WordCount() {}

  public static void main(String[] args) {
    boolean explain = ExplainFlag.requested(args);
    args = ExplainFlag.strip(args);
    if (args.length != 2) {
      throw new IllegalArgumentException("Usage: WordCount [--explain] <input> <output>");
    }
    try (WeftContext wc = WeftContext.create(new WeftConf().setIfMissing("weft.app.name", "wordcount"))) {
      PairDataset<String, Long> counts = counts(wc, args[0]);
      if (explain) {
        counts.printExplain();
      }
      counts.saveAsTextFile(args[1]);
    }
  }

  /** The word counts of {@code input}, as the job computes them. */
  public static PairDataset<String, Long> counts(WeftContext wc, String input) {
    return wc.textFile(input)
        .flatMap(line -> Arrays.asList(line.split("\\s+")).iterator())
        .filter(word -> !word.isEmpty())
        .mapToPair(word -> Pair.of(word, 1L))
        .reduceByKey(Long::sum);
  }
}
