package io.weft.it;

import io.weft.bench.JoinGenerator;
import io.weft.bench.TeraGenGenerator;
import io.weft.bench.TextGenerator;
import io.weft.examples.Grep;
import io.weft.examples.Join;
import io.weft.examples.Sort;
import io.weft.examples.WordCount;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four examples, run through their own {@code main} in local mode ({@code local[2]}) on
 * about 50 MB of generated input each, with output checked against {@link Reference}. The
 * inputs come in two files each, so every job reads several splits.
 */
class ExamplesLocalIT {
  private static final long INPUT_BYTES = 50L << 20;
  private static final long SEED = 20261124L;
  private static final int SORT_PARTITIONS = 4;

  @TempDir static java.nio.file.Path dir;

  private static FileSystem fs;
  private static java.nio.file.Path text;
  private static java.nio.file.Path tera;
  private static java.nio.file.Path events;
  private static java.nio.file.Path users;

  @BeforeAll
  static void generateInputs() throws IOException {
    fs = FileSystem.getLocal(new Configuration());
    text = dir.resolve("text");
    tera = dir.resolve("tera");
    new TextGenerator(2).generate(text, INPUT_BYTES, SEED);
    new TeraGenGenerator(2).generate(tera, INPUT_BYTES, SEED);
    new JoinGenerator(2).generate(dir.resolve("join"), INPUT_BYTES, SEED);
    events = dir.resolve("join").resolve(JoinGenerator.EVENTS_DIR);
    users = dir.resolve("join").resolve(JoinGenerator.USERS_DIR);
  }

  @Test
  void wordCount() throws Exception {
    java.nio.file.Path out = dir.resolve("out-wordcount");
    runLocal(() -> WordCount.main(new String[] {text.toString(), out.toString()}));
    ExampleChecks.checkWordCount(fs, hadoop(text), hadoop(out));
  }

  @Test
  void sort() throws Exception {
    java.nio.file.Path out = dir.resolve("out-sort");
    runLocal(() -> Sort.main(new String[] {tera.toString(), out.toString(), Integer.toString(SORT_PARTITIONS)}));
    ExampleChecks.checkSort(fs, hadoop(tera), hadoop(out), SORT_PARTITIONS);
  }

  @Test
  void join() throws Exception {
    java.nio.file.Path out = dir.resolve("out-join");
    runLocal(() -> Join.main(new String[] {events.toString(), users.toString(), out.toString()}));
    ExampleChecks.checkJoin(fs, hadoop(events), hadoop(users), hadoop(out));
  }

  @Test
  void grep() throws Exception {
    String word = TextGenerator.vocabulary(SEED).get(100);
    java.nio.file.Path out = dir.resolve("out-grep");
    runLocal(() -> Grep.main(new String[] {text.toString(), word, out.toString()}));
    ExampleChecks.checkGrep(fs, hadoop(text), word, hadoop(out));
  }

  /** Runs an example's main as {@code bin/weft submit --master local[2]} would. */
  private static void runLocal(SystemProperties.Action main) throws Exception {
    SystemProperties.with(Map.of("weft.master", "local[2]",
        "weft.local.dir", dir.resolve("weft-local").toString()), main);
  }

  private static Path hadoop(java.nio.file.Path p) {
    return new Path(p.toUri());
  }
}
