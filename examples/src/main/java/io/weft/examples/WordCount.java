package io.weft.examples;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.util.Arrays;

/**
 * Counts words: splits each line on white space, drops empty tokens, writes {@code word<TAB>count}
 * lines to OUT.
 *
 * <pre>bin/weft submit --master local[2] --class io.weft.examples.WordCount examples.jar IN OUT</pre>
 */
public final class WordCount {
  private WordCount() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      throw new IllegalArgumentException("Usage: WordCount <input> <output>");
    }
    try (WeftContext wc = WeftContext.create(new WeftConf().setIfMissing("weft.app.name", "wordcount"))) {
      wc.textFile(args[0])
          .flatMap(line -> Arrays.asList(line.split("\\s+")).iterator())
          .filter(word -> !word.isEmpty())
          .mapToPair(word -> Pair.of(word, 1L))
          .reduceByKey(Long::sum)
          .saveAsTextFile(args[1]);
    }
  }
}
