package io.weft.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.TaskContext;
import io.weft.executor.ExecutorEnv;
import io.weft.testing.TestingDriverEndpoint;
import io.weft.testing.TestingTasks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DirectLineIterator} against Hadoop's {@code LineRecordReader} (through
 * {@link LineReaderIterator}) split by split, and against a plain-Java line splitter over the
 * whole file, on files full of the cases that differ between readers: {@code \r}, {@code \n} and
 * {@code \r\n} at and around split boundaries, empty lines, multi-byte characters cut by a split,
 * lines longer than the read buffer, a byte order mark and no final delimiter.
 */
@Timeout(120)
class DirectLineIteratorTest {
  @TempDir Path tmp;

  private final Configuration conf = new Configuration();
  private ExecutorEnv env;

  @BeforeEach
  void setUp() throws IOException {
    env = TestingTasks.executorEnv(Files.createDirectories(tmp.resolve("exec")), new TestingDriverEndpoint());
  }

  @Test
  void everySplitReadsWhatHadoopsReaderReads() throws IOException {
    Random random = new Random(7);
    for (int round = 0; round < 30; round++) {
      byte[] content = randomText(random, 2_000 + random.nextInt(3_000), round % 3 == 0, round % 4 == 0);
      Path file = Files.write(tmp.resolve("in" + round + ".txt"), content);
      // split boundaries right at, before and after delimiters, plus random ones
      TreeSet<Integer> cuts = new TreeSet<>();
      for (int i = 0; i < content.length; i++) {
        if ((content[i] == '\r' || content[i] == '\n') && random.nextInt(4) == 0) {
          cuts.add(Math.max(1, i + random.nextInt(3) - 1));
        }
      }
      for (int i = 0; i < 5; i++) {
        cuts.add(1 + random.nextInt(content.length - 1));
      }
      cuts.removeIf(c -> c >= content.length);
      List<String> all = new ArrayList<>();
      long start = 0;
      int index = 0;
      for (long end : concat(cuts, content.length)) {
        TextFilePartition split = new TextFilePartition(index++, file.toUri().toString(), start, end - start, List.of());
        List<String> direct = read(DirectLineIterator.open(split, task(), conf));
        assertEquals(read(LineReaderIterator.open(split, task())), direct,
            "round " + round + ", split " + start + "-" + end);
        all.addAll(direct);
        start = end;
      }
      assertEquals(plainLines(content), all, "round " + round);
    }
  }

  @Test
  void linesLongerThanTheBufferAndASingleSplit() throws IOException {
    StringBuilder longLine = new StringBuilder();
    for (int i = 0; i < 200_000; i++) {
      longLine.append((char) ('a' + i % 26));
      if (i % 1000 == 0) {
        longLine.append('\u00e9'); // two bytes, some of them cut by the 64 KiB buffer
      }
    }
    String text = "short\r\n" + longLine + "\r" + longLine + "\n\nlast";
    Path file = Files.writeString(tmp.resolve("long.txt"), text);
    TextFilePartition whole = new TextFilePartition(0, file.toString(), 0, Files.size(file), List.of());

    List<String> lines = read(DirectLineIterator.open(whole, task(), conf));

    assertEquals(List.of("short", longLine.toString(), longLine.toString(), "", "last"), lines);
  }

  @Test
  void metricsCountLinesAndBytes() throws IOException {
    Path file = Files.writeString(tmp.resolve("m.txt"), "a\nbb\nccc\n");
    TaskContext task = task();

    read(DirectLineIterator.open(new TextFilePartition(0, file.toString(), 0, 9, List.of()), task, conf));

    assertEquals(3, task.metrics().inputRecords());
    assertEquals(9, task.metrics().inputBytes());
  }

  @Test
  void appliesOnlyWhereItReadsAsHadoopDoes() {
    assertTrue(DirectLineIterator.applies("/data/in.txt", conf));
    assertFalse(DirectLineIterator.applies("/data/in.txt.gz", conf), "a codec decompresses");
    assertFalse(DirectLineIterator.applies("/data/in.bz2", conf), "a codec decompresses");
    Configuration delimited = new Configuration(conf);
    delimited.set(DirectLineIterator.DELIMITER_KEY, "|");
    assertFalse(DirectLineIterator.applies("/data/in.txt", delimited), "a custom delimiter");
    Configuration bounded = new Configuration(conf);
    bounded.setInt(DirectLineIterator.MAX_LENGTH_KEY, 100);
    assertFalse(DirectLineIterator.applies("/data/in.txt", bounded), "a maximum line length");
  }

  private TaskContext task() {
    return TestingTasks.task(env, 0, 0);
  }

  private static List<String> read(Iterator<String> it) {
    List<String> lines = new ArrayList<>();
    it.forEachRemaining(lines::add);
    return lines;
  }

  private static List<Long> concat(TreeSet<Integer> cuts, long last) {
    List<Long> ends = new ArrayList<>();
    cuts.forEach(c -> ends.add((long) c));
    ends.add(last);
    return ends;
  }

  /** Text of words, multi-byte characters and every kind of delimiter, with runs of them. */
  private static byte[] randomText(Random random, int approxBytes, boolean bom, boolean finalDelimiter)
      throws IOException {
    String[] pieces = {"a", "word", "caf\u00e9", "\u6f22\u5b57", "\ud83d\ude00", " ", "\t", "\n", "\r", "\r\n"};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (bom) {
      out.write(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
    }
    while (out.size() < approxBytes) {
      out.write(pieces[random.nextInt(pieces.length)].getBytes(StandardCharsets.UTF_8));
    }
    if (finalDelimiter) {
      out.write('\n');
    }
    return out.toByteArray();
  }

  /** The file's lines, split by hand: {@code \r\n}, {@code \r}, {@code \n}; a leading BOM dropped. */
  private static List<String> plainLines(byte[] content) {
    List<String> lines = new ArrayList<>();
    int from = content.length >= 3 && content[0] == (byte) 0xef && content[1] == (byte) 0xbb
        && content[2] == (byte) 0xbf ? 3 : 0;
    int lineStart = from;
    for (int i = from; i < content.length; i++) {
      if (content[i] == '\n' || content[i] == '\r') {
        lines.add(new String(content, lineStart, i - lineStart, StandardCharsets.UTF_8));
        if (content[i] == '\r' && i + 1 < content.length && content[i + 1] == '\n') {
          i++;
        }
        lineStart = i + 1;
      }
    }
    if (lineStart < content.length) {
      lines.add(new String(content, lineStart, content.length - lineStart, StandardCharsets.UTF_8));
    }
    return lines;
  }
}
