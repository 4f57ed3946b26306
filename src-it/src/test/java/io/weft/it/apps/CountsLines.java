package io.weft.it.apps;

import io.weft.WeftConf;
import io.weft.WeftContext;

/**
 * Counts the lines of a text input (argument: its path) and prints {@code CountsLines: N lines}
 * on the driver's stdout: one stage whose every task reads an input split, for locality tests.
 * With a second argument {@code hadoop} it reads through {@code hadoopFile} and Hadoop's
 * {@code TextInputFormat} instead of {@code textFile}.
 */
public final class CountsLines {
  private CountsLines() {}

  public static void main(String[] args) {
    try (WeftContext wc = WeftContext.create(new WeftConf())) {
      long lines = args.length > 1 && args[1].equals("hadoop")
          ? wc.hadoopFile(args[0], org.apache.hadoop.mapreduce.lib.input.TextInputFormat.class,
              org.apache.hadoop.io.LongWritable.class, org.apache.hadoop.io.Text.class).count()
          : wc.textFile(args[0]).count();
      System.out.println("CountsLines: " + lines + " lines");
    }
  }
}
