package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.bench.TeraGenGenerator;
import io.weft.config.Sizes;
import io.weft.status.ListenerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shuffles far larger than the shuffle memory: {@code weft.shuffle.memory} is 2 MB (1 MB per
 * task on {@code local[2]}) and each job shuffles over 20 MB, so map-side sorting and combining
 * and reduce-side aggregation must spill sorted runs and merge them. Each of groupByKey,
 * reduceByKey and sortByKey must still give exactly a plain-Java computation's result, the task
 * metrics must show that spills happened, and no spill file may outlive the job (nor any file
 * the context).
 */
class SpillIT {
  private static final String SHUFFLE_MEMORY = "2m";
  private static final long INPUT_BYTES = 32L << 20;
  private static final long MIN_SHUFFLE_BYTES = 10 * Sizes.parseBytes(SHUFFLE_MEMORY);

  @TempDir static Path dir;
  private static Path input;
  private static List<String> lines;

  @BeforeAll
  static void generateInput() throws IOException {
    input = dir.resolve("tera");
    new TeraGenGenerator(2).generate(input, INPUT_BYTES, 99);
    lines = Reference.lines(FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(input.toUri()));
  }

  /** reduceByKey on 3-character keys: ~270k distinct keys, so the map-side combine cannot fit either. */
  @Test
  void reduceByKeySpillsAndStaysExact(@TempDir Path localDir) throws IOException {
    Function<String, String> key = line -> line.substring(0, 3);
    Map<String, String> expected = new HashMap<>();
    for (String line : lines) {
      expected.merge(key.apply(line), line, SpillIT::min);
    }
    Map<String, String> actual = runSpilling(localDir, wc -> wc.textFile(input.toString())
        .mapToPair(line -> Pair.of(line.substring(0, 3), line))
        .reduceByKey(SpillIT::min)
        .collectAsMap());
    ExampleChecks.assertSameMap(expected, actual, "minimum line per 3-character key");
  }

  /** groupByKey on 2-character keys: every line travels, in ~8,800 groups of ~40 lines. */
  @Test
  void groupByKeySpillsAndStaysExact(@TempDir Path localDir) throws IOException {
    Map<String, List<String>> expected = new HashMap<>();
    for (String line : lines) {
      expected.computeIfAbsent(line.substring(0, 2), k -> new ArrayList<>()).add(line);
    }
    expected.values().forEach(v -> v.sort(Comparator.naturalOrder()));
    List<Pair<String, Iterable<String>>> groups = runSpilling(localDir, wc -> wc.textFile(input.toString())
        .mapToPair(line -> Pair.of(line.substring(0, 2), line))
        .groupByKey()
        .collect());
    Map<String, List<String>> actual = new HashMap<>();
    for (Pair<String, Iterable<String>> g : groups) {
      List<String> values = new ArrayList<>();
      g.value().forEach(values::add);
      values.sort(Comparator.naturalOrder());
      if (actual.put(g.key(), values) != null) {
        fail("key " + g.key() + " in two groups");
      }
    }
    ExampleChecks.assertSameMap(expected, actual, "groups of lines by 2-character key");
  }

  /** sortByKey on the 10-character keys, into 4 ranges: total order and the same lines. */
  @Test
  void sortByKeySpillsAndStaysExact(@TempDir Path localDir) throws IOException {
    List<Pair<String, String>> sorted = runSpilling(localDir, wc -> wc.textFile(input.toString())
        .mapToPair(line -> Pair.of(line.substring(0, 10), line))
        .sortByKey(true, 4)
        .collect());
    List<String> expectedKeys = lines.stream().map(l -> l.substring(0, 10)).sorted().toList();
    List<String> actualKeys = sorted.stream().map(Pair::key).toList();
    assertEquals(expectedKeys.size(), actualKeys.size(), "records after sortByKey");
    for (int i = 0; i < expectedKeys.size(); i++) {
      if (!expectedKeys.get(i).equals(actualKeys.get(i))) {
        fail("key " + i + " is '" + actualKeys.get(i) + "', a plain sort has '" + expectedKeys.get(i) + "'");
      }
    }
    List<String> expectedLines = new ArrayList<>(lines);
    expectedLines.sort(Comparator.naturalOrder());
    List<String> actualLines = new ArrayList<>(sorted.stream().map(Pair::value).toList());
    actualLines.sort(Comparator.naturalOrder());
    assertTrue(expectedLines.equals(actualLines), "sortByKey kept every line exactly once");
  }

  /** A job on a fresh context with tiny shuffle memory. */
  @FunctionalInterface
  private interface Job<R> {
    R run(WeftContext wc);
  }

  /**
   * Runs {@code job} in a {@code local[2]} context whose scratch space is {@code localDir}, then
   * checks that it really spilled and shuffled at least ten times the shuffle memory, that no
   * spill file is left once the job ended, and that closing the context left nothing at all.
   */
  private static <R> R runSpilling(Path localDir, Job<R> job) throws IOException {
    R result;
    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local[2]").setAppName("spill-it")
        .set("weft.shuffle.memory", SHUFFLE_MEMORY)
        .set("weft.local.dir", localDir.toString()))) {
      EventRecorder recorder = EventRecorder.attach(wc);
      result = job.run(wc);
      List<ListenerEvent.TaskEnded> tasks = recorder.taskEnds();
      long spills = tasks.stream().mapToLong(t -> t.metrics().spillCount()).sum();
      long shuffled = tasks.stream().mapToLong(t -> t.metrics().shuffleWriteBytes()).sum();
      System.out.printf("SpillIT: %d tasks shuffled %s with %d spills%n", tasks.size(), Sizes.formatBytes(shuffled), spills);
      assertTrue(shuffled >= MIN_SHUFFLE_BYTES, "the test must shuffle >= 10x the shuffle memory ("
          + MIN_SHUFFLE_BYTES + " bytes), shuffled " + shuffled);
      assertTrue(spills > 0, "tasks report spills; metrics: " + tasks.stream().map(t -> t.metrics()).toList());
      assertEquals(List.of(), filesUnderTmpDirs(localDir), "spill files left after the job");
    }
    try (Stream<Path> left = Files.walk(localDir)) {
      assertEquals(List.of(), left.filter(p -> !p.equals(localDir)).toList(), "files left after close()");
    }
    return result;
  }

  /** Every file inside a directory named {@code tmp} under {@code root} (executors keep spills there). */
  private static List<Path> filesUnderTmpDirs(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).filter(p -> {
        for (Path part : root.relativize(p)) {
          if (part.toString().equals("tmp")) {
            return true;
          }
        }
        return false;
      }).toList();
    }
  }

  private static String min(String a, String b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
