package io.weft.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.executor.ExecutorEnv;
import io.weft.plan.Partition;
import io.weft.testing.TestingDriverEndpoint;
import io.weft.testing.TestingJobRunner;
import io.weft.testing.TestingTasks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.BZip2Codec;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.util.ReflectionUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads local files through {@link TextFileNode}'s partitions and compute, without a scheduler. */
class TextFileNodeTest {
  @TempDir Path tmp;

  private final Configuration conf = new Configuration();
  private WeftContext ctx;
  private ExecutorEnv env;

  @BeforeEach
  void setUp() throws IOException {
    ctx = TestingTasks.newContext();
    env = TestingTasks.executorEnv(Files.createDirectories(tmp.resolve("exec")), new TestingDriverEndpoint());
  }

  @Test
  void multiSplitFileIsReadExactlyOnceAcrossSplits() throws IOException {
    List<String> lines = numbered(20_000);
    Path file = writeLines(tmp.resolve("in.txt"), lines);

    TextFileNode node = textFile(file.toUri().toString(), 7);

    assertTrue(node.numPartitions() >= 6, "splits: " + node.numPartitions());
    long covered = 0;
    for (Partition p : node.partitions()) {
      TextFilePartition split = (TextFilePartition) p;
      assertEquals(covered, split.start(), "splits must tile the file");
      covered += split.length();
      assertEquals(List.of("localhost"), split.hosts());
      assertEquals(List.of(), node.preferredLocations(p), "'localhost' is no preference");
    }
    assertEquals(Files.size(file), covered);
    assertEquals(lines, TestingTasks.readAll(node, env));
  }

  @Test
  void inputMetricsCountLinesAndBytes() throws IOException {
    Path file = writeLines(tmp.resolve("in.txt"), numbered(1000));
    TextFileNode node = textFile(file.toString(), 1);

    TaskContext task = TestingTasks.task(env, 0, 0);
    Iterator<String> it = node.compute(node.partitions()[0], task);
    it.forEachRemaining(line -> { });

    assertEquals(1000, task.metrics().inputRecords());
    assertEquals(Files.size(file), task.metrics().inputBytes());
  }

  @Test
  void completionListenerClosesAnUnfinishedReader() throws IOException {
    Path file = writeLines(tmp.resolve("in.txt"), numbered(1000));
    TextFileNode node = textFile(file.toString(), 1);

    TaskContext task = TestingTasks.task(env, 0, 0);
    Iterator<String> it = node.compute(node.partitions()[0], task);
    it.next();
    it.next();
    task.markCompleted();

    // Metrics are recorded when the reader closes: two lines were read before the task ended.
    assertEquals(2, task.metrics().inputRecords());
  }

  @Test
  void emptyFileGivesOneEmptyPartition() throws IOException {
    Path file = Files.createFile(tmp.resolve("empty.txt"));

    TextFileNode node = textFile(file.toString(), 3);

    assertEquals(1, node.numPartitions());
    assertEquals(List.of(), TestingTasks.readAll(node, env));
  }

  @Test
  void gzipIsOneSplitAndDecompressed() throws IOException {
    List<String> lines = numbered(5000);
    Path file = tmp.resolve("in.txt.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(joined(lines));
    }

    TextFileNode node = textFile(file.toString(), 4);

    assertEquals(1, node.numPartitions(), "gzip is not splittable");
    assertEquals(lines, TestingTasks.readAll(node, env));
  }

  @Test
  void bzip2IsSplitAndEveryLineReadOnce() throws IOException {
    List<String> lines = numbered(200_000);
    Path file = tmp.resolve("in.txt.bz2");
    CompressionCodec codec = ReflectionUtils.newInstance(BZip2Codec.class, conf);
    try (OutputStream out = codec.createOutputStream(Files.newOutputStream(file))) {
      out.write(joined(lines));
    }

    TextFileNode node = textFile(file.toString(), 4);

    assertTrue(node.numPartitions() > 1, "bzip2 is splittable: " + node.numPartitions());
    assertEquals(lines, TestingTasks.readAll(node, env));
  }

  @Test
  void directoriesGlobsAndListsSkipHiddenFiles() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("dir"));
    writeLines(dir.resolve("a.txt"), List.of("a1", "a2"));
    writeLines(dir.resolve("b.txt"), List.of("b1"));
    writeLines(dir.resolve("c.log"), List.of("c1"));
    writeLines(dir.resolve("_SUCCESS"), List.of("hidden"));
    writeLines(dir.resolve(".a.txt.crc"), List.of("hidden"));
    writeLines(Files.createDirectories(dir.resolve("sub")).resolve("s.txt"), List.of("nested"));
    Path other = writeLines(tmp.resolve("other.txt"), List.of("o1"));

    assertEquals(List.of("a1", "a2", "b1", "c1"), sorted(TestingTasks.readAll(textFile(dir.toString(), 1), env)));
    assertEquals(List.of("a1", "a2", "b1"), sorted(TestingTasks.readAll(textFile(dir + "/*.txt", 1), env)));
    assertEquals(List.of("a1", "a2", "b1", "o1"),
        sorted(TestingTasks.readAll(textFile(dir + "/{a,b}.txt," + other, 2), env)));
  }

  @Test
  void missingPathFailsWhenPartitionsAreComputedNamingThePath() {
    Path missing = tmp.resolve("no-such-dir");
    TextFileNode node = textFile(missing.toString(), 2);

    InvalidInputException e = assertThrows(InvalidInputException.class, node::partitions);

    assertEquals("Input path does not exist: " + missing.toUri().toString().replaceFirst("/$", "")
        .replaceFirst("^file:///", "file:/"), e.getMessage());
  }

  @Test
  void emptyGlobFailsNamingThePattern() {
    String pattern = tmp.resolve("nothing-*.txt").toString();
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> textFile(pattern, 1).partitions());
    assertTrue(e.getMessage().contains(pattern) && e.getMessage().contains("matches 0 files"), e.getMessage());
  }

  @Test
  void corruptGzipFailsNamingTheFile() throws IOException {
    Path file = tmp.resolve("broken.gz");
    Files.write(file, "this is not gzip data at all\n".getBytes(StandardCharsets.UTF_8));
    TextFileNode node = textFile(file.toString(), 1);

    InputReadException e = assertThrows(InputReadException.class, () -> TestingTasks.readAll(node, env));

    assertTrue(e.getMessage().startsWith("Cannot read file:" + file), e.getMessage());
  }

  @Test
  void nodeSurvivesSerializationIntoATask() throws IOException {
    Path file = writeLines(tmp.resolve("in.txt"), List.of("x", "y"));
    TextFileNode node = textFile(file.toString(), 1);
    Partition p = node.partitions()[0];

    TextFileNode shipped = TestingJobRunner.roundTrip(node);
    Iterator<String> it = shipped.compute(TestingJobRunner.roundTrip(p), TestingTasks.task(env, 0, 0));

    assertEquals("x", it.next());
    assertEquals("y", it.next());
  }

  @Test
  void linesDecodeAsJavaReadsTheFile() throws IOException {
    List<String> lines = List.of("plain ascii", "", "caf\u00e9 na\u00efve", "\u6f22\u5b57 kanji",
        "emoji \ud83d\ude00 here", "tab\tsep\rcr", "latin1 \u00ff\u00fe");
    Path file = writeLines(tmp.resolve("utf8.txt"), lines);

    assertEquals(Files.readAllLines(file, StandardCharsets.UTF_8),
        TestingTasks.readAll(textFile(file.toString(), 1), env));
  }

  @Test
  void malformedBytesBecomeReplacementCharactersAsHadoopTextDoes() throws IOException {
    byte[][] lines = {
        {'a', (byte) 0xff, 'b'},                 // never valid in UTF-8
        {'c', (byte) 0xe6, (byte) 0xbc},         // a 3-byte sequence cut short
        {(byte) 0xc3, 'd'},                      // lead byte without its continuation
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // an encoded surrogate
    };
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<String> expected = new ArrayList<>();
    for (byte[] line : lines) {
      bytes.write(line);
      bytes.write('\n');
      expected.add(new Text(line).toString()); // Hadoop's decoder, as read before
    }
    Path file = Files.write(tmp.resolve("bad.txt"), bytes.toByteArray());

    List<String> read = TestingTasks.readAll(textFile(file.toString(), 1), env);

    assertEquals(expected, read);
    assertTrue(read.get(0).contains("\ufffd"), read.get(0));
  }

  private TextFileNode textFile(String path, int minPartitions) {
    return new TextFileNode(ctx, path, minPartitions, conf);
  }


  static List<String> numbered(int n) {
    return IntStream.range(0, n).mapToObj(i -> "line " + i + " \u00e9\u6f22").toList();
  }

  private static byte[] joined(List<String> lines) {
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static Path writeLines(Path file, List<String> lines) throws IOException {
    Files.write(file, joined(lines));
    return file;
  }

  private static List<String> sorted(List<String> lines) {
    return lines.stream().sorted().toList();
  }
}
