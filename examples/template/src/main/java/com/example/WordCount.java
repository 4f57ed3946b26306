package com.example;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.util.Arrays;

/**
 * Counts the words of IN (a file, directory or glob; file:// or hdfs://) and writes
 * {@code word<TAB>count} lines into the directory OUT. Run it with
 * {@code bin/weft submit --master local[2] --class com.example.WordCount target/my-weft-app-1.0-SNAPSHOT.jar IN OUT}
 * (or {@code --master yarn}); the master comes from {@code weft submit}, not from the code.
 */
public final class WordCount {
  private WordCount() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      throw new IllegalArgumentException("Usage: WordCount IN OUT");
    }
    try (WeftContext wc = WeftContext.create(new WeftConf().setIfMissing("weft.app.name", "my-wordcount"))) {
      wc.textFile(args[0])
          .flatMap(line -> Arrays.asList(line.split("\\s+")).iterator())
          .filter(word -> !word.isEmpty())
          .mapToPair(word -> Pair.of(word, 1L))
          .reduceByKey(Long::sum)
          .saveAsTextFile(args[1]);
    }
  }
}
