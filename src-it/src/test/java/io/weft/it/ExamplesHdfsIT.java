package io.weft.it;

import io.weft.bench.JoinGenerator;
import io.weft.bench.OutputFactory;
import io.weft.bench.TeraGenGenerator;
import io.weft.bench.TextGenerator;
import io.weft.examples.Grep;
import io.weft.examples.Join;
import io.weft.examples.Sort;
import io.weft.examples.WordCount;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four examples in local mode reading and writing {@code hdfs://} paths of an embedded HDFS,
 * on about 50 MB of input each written straight into HDFS by the generators; output checked
 * against {@link Reference}, which reads the same HDFS files. 8 MB blocks give each input
 * several splits.
 */
class ExamplesHdfsIT {
  private static final long INPUT_BYTES = 50L << 20;
  private static final long SEED = 4242L;

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().blockSize(8L << 20).build();

  @TempDir static java.nio.file.Path localDir;

  private static FileSystem fs;

  @BeforeAll
  static void generateInputs() throws IOException {
    fs = CLUSTER.fileSystem();
    new TextGenerator(2).generate(OutputFactory.hadoop(fs, new Path("/in/text")), INPUT_BYTES, SEED);
    new TeraGenGenerator(2).generate(OutputFactory.hadoop(fs, new Path("/in/tera")), INPUT_BYTES, SEED);
    new JoinGenerator(2).generate(OutputFactory.hadoop(fs, new Path("/in/join")), INPUT_BYTES, SEED);
  }

  @Test
  void wordCount() throws Exception {
    runLocal(() -> WordCount.main(new String[] {uri("/in/text"), uri("/out/wordcount")}));
    ExampleChecks.checkWordCount(fs, new Path("/in/text"), new Path("/out/wordcount"));
  }

  @Test
  void sort() throws Exception {
    runLocal(() -> Sort.main(new String[] {uri("/in/tera"), uri("/out/sort")}));
    ExampleChecks.checkSort(fs, new Path("/in/tera"), new Path("/out/sort"), 0);
  }

  @Test
  void join() throws Exception {
    String events = "/in/join/" + JoinGenerator.EVENTS_DIR;
    String users = "/in/join/" + JoinGenerator.USERS_DIR;
    runLocal(() -> Join.main(new String[] {uri(events), uri(users), uri("/out/join")}));
    ExampleChecks.checkJoin(fs, new Path(events), new Path(users), new Path("/out/join"));
  }

  @Test
  void grep() throws Exception {
    String word = TextGenerator.vocabulary(SEED).get(100);
    runLocal(() -> Grep.main(new String[] {uri("/in/text"), word, uri("/out/grep")}));
    ExampleChecks.checkGrep(fs, new Path("/in/text"), word, new Path("/out/grep"));
  }

  private static String uri(String absolutePath) {
    return CLUSTER.hdfsPath(absolutePath);
  }

  private static void runLocal(SystemProperties.Action main) throws Exception {
    SystemProperties.with(Map.of("weft.master", "local[2]", "weft.local.dir", localDir.toString()), main);
  }
}
