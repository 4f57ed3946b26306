package io.weft.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text input read by executors in their own JVMs ({@code local-cluster}): a plain file split into
 * several partitions (read by {@link DirectLineIterator}) and a gzip file (Hadoop's reader), with
 * {@code \r\n}, {@code \r} and {@code \n} line ends and multi-byte characters; the lines and a
 * word count through an 8-way hash shuffle (a power of two: partitioned by a mask) match what
 * plain Java computes from the same bytes.
 */
class TextFileAcrossJvmsTest {
  @TempDir
  static Path dir;

  @Test
  @Timeout(300)
  void linesAndWordCountsMatchPlainJava() throws IOException {
    Random random = new Random(3);
    String[] words = {"alpha", "beta", "caf\u00e9", "\u6f22\u5b57", "x", "emoji\ud83d\ude00"};
    String[] ends = {"\n", "\r\n", "\r"};
    List<String> plainLines = new ArrayList<>();
    Map<String, Long> plainCounts = new TreeMap<>();
    StringBuilder plainText = new StringBuilder();
    StringBuilder gzText = new StringBuilder();
    boolean[] afterCr = new boolean[2];
    for (int i = 0; i < 40_000; i++) {
      int file = i % 4 == 0 ? 1 : 0;
      StringBuilder line = new StringBuilder();
      // an empty line after a lone \r would make the two one \r\n
      int n = afterCr[file] ? 1 + random.nextInt(7) : random.nextInt(8);
      for (int w = 0; w < n; w++) {
        String word = words[random.nextInt(words.length)] + (random.nextInt(50));
        line.append(w == 0 ? "" : " ").append(word);
        plainCounts.merge(word, 1L, Long::sum);
      }
      plainLines.add(line.toString());
      String end = ends[random.nextInt(ends.length)];
      afterCr[file] = end.equals("\r");
      (file == 1 ? gzText : plainText).append(line).append(end);
    }
    Path input = Files.createDirectories(dir.resolve("in"));
    Files.writeString(input.resolve("a.txt"), plainText, StandardCharsets.UTF_8);
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(input.resolve("b.txt.gz")))) {
      gz.write(gzText.toString().getBytes(StandardCharsets.UTF_8));
    }

    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local-cluster[2,1,512]")
        .setAppName("text-across-jvms").set("weft.local.dir", dir.resolve("local").toString())
        .set("weft.executor.registration.timeout", "60s"))) {
      var lines = wc.textFile(input.toString(), 6);
      assertTrue(lines.getNumPartitions() >= 6, "partitions: " + lines.getNumPartitions());
      List<String> read = new ArrayList<>(lines.collect());
      Map<String, Long> counts = new TreeMap<>();
      for (Pair<String, Long> p : lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator())
          .filter(w -> !w.isEmpty()).mapToPair(w -> Pair.of(w, 1L)).reduceByKey(Long::sum, 8).collect()) {
        counts.put(p.key(), p.value());
      }

      List<String> expected = new ArrayList<>(plainLines);
      expected.sort(null);
      read.sort(null);
      assertEquals(expected.size(), read.size(), "lines");
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(expected.get(i), read.get(i), "sorted line " + i);
      }
      assertEquals(plainCounts, counts);
    }
  }
}
