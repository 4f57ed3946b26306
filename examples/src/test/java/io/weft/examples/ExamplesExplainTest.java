package io.weft.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.WeftContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The physical plans of the four examples, as {@code --explain} prints them, have the shape each
 * job must have: Grep one stage and no shuffle; WordCount a combining shuffle; Sort a range
 * shuffle sorted by key; Join a broadcast of the small users file (no shuffle of the events)
 * under the default threshold, and two shuffles into a shuffle join when broadcasting is off.
 */
@Timeout(120)
class ExamplesExplainTest {
  @TempDir
  static Path dir;
  private static WeftContext wc;
  private static Path text;
  private static Path events;
  private static Path users;

  @BeforeAll
  static void start() throws IOException {
    wc = context("10m", "examples-explain");
    text = write("text.txt", IntStream.range(0, 500).mapToObj(i -> i + " the quick fox").collect(Collectors.joining("\n")));
    events = write("events.txt", IntStream.range(0, 2_000).mapToObj(i -> "u" + (i % 50) + "\tclick\t" + i)
        .collect(Collectors.joining("\n")));
    users = write("users.txt", IntStream.range(0, 100).mapToObj(i -> "u" + i + "\tc" + (i % 5) + "\tname" + i)
        .collect(Collectors.joining("\n")));
  }

  @AfterAll
  static void stop() {
    wc.close();
  }

  @Test
  void grepIsOneStageOfFilteringTasks() {
    String plan = Grep.matching(wc, text.toString(), "fox").explain();
    assertStartsWith(plan, "== Physical plan: 1 stage, 0 shuffles ==");
    assertInOrder(plan, "Stage 0: result stage", "TextFileNode", "text.txt", "filter");
    assertTrue(!plan.contains("=> writes shuffle"), plan);
  }

  @Test
  void wordCountCombinesOnTheMapSide() {
    String plan = WordCount.counts(wc, text.toString()).explain();
    assertStartsWith(plan, "== Physical plan: 2 stages, 1 shuffle ==");
    assertInOrder(plan, "Stage 0: shuffle map stage", "TextFileNode", "flatMap", "filter", "mapToPair",
        "=> writes shuffle", "HashPartitioner", "map-side combine on (reduceByKey)",
        "Stage 1: result stage", "<= reads shuffle", "ShuffledNode", "reduceByKey");
  }

  @Test
  void sortRangePartitionsAndSortsByKey() {
    String plan = Sort.sorted(wc, text.toString(), 3).explain();
    assertStartsWith(plan, "== Physical plan: 2 stages, 1 shuffle ==");
    assertInOrder(plan, "Stage 0: shuffle map stage", "TextFileNode", "=> writes shuffle", "RangePartitioner(3, ascending)",
        "3 partitions, map-side combine off, sorted by key (sortByKey)", "Stage 1: result stage, 3 tasks",
        "ShuffledNode", "sortByKey");
  }

  @Test
  void joinBroadcastsTheSmallUsersFile() throws IOException {
    String plan = Join.sumsByCountry(wc, events.toString(), users.toString()).explain();
    assertStartsWith(plan, "== Physical plan: 2 stages, 1 shuffle ==");
    assertInOrder(plan, "Stage 0: shuffle map stage", "events.txt", "mapToPair", "BroadcastHashJoinNode", "join",
        "broadcast hash join, right side broadcast, no shuffle", "why: right side " + kb(Files.size(users)),
        "<= threshold", "weft.join.broadcastThreshold 10.0 MB", "mapToPair", "map-side combine on (reduceByKey)",
        "Stage 1: result stage", "reduceByKey");
    assertTrue(!plan.contains("users.txt"), "the users side runs before, in the job that collects it:\n" + plan);
  }

  @Test
  void joinShufflesBothSidesWhenBroadcastIsOff() {
    try (WeftContext off = context("-1", "examples-explain-off")) {
      String plan = Join.sumsByCountry(off, events.toString(), users.toString()).explain();
      assertStartsWith(plan, "== Physical plan: 4 stages, 3 shuffles ==");
      assertInOrder(plan, "events.txt", "map-side combine off (join)", "users.txt", "map-side combine off (join)",
          "Stage 2: shuffle map stage", "<= reads shuffle", "<= reads shuffle", "ShuffleJoinNode", "join",
          "shuffle join into HashPartitioner", "why: weft.join.broadcastThreshold is -1",
          "map-side combine on (reduceByKey)", "Stage 3: result stage");
    }
  }

  @Test
  void explainFlagPrintsThePlanAndStillRuns() throws Exception {
    Path out = dir.resolve("wc-out");
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.out;
    java.util.Map<String, String> props = java.util.Map.of("weft.master", "local[1]",
        "weft.local.dir", dir.resolve("local-main").toString());
    props.keySet().forEach(k -> assertTrue(System.getProperty(k) == null, k + " is not set by the build"));
    props.forEach(System::setProperty);
    System.setOut(new java.io.PrintStream(captured, true, "UTF-8"));
    try {
      WordCount.main(new String[] {"--explain", text.toString(), out.toString()});
    } finally {
      System.setOut(original);
      props.keySet().forEach(System::clearProperty);
    }
    assertStartsWith(captured.toString("UTF-8"), "== Physical plan: 2 stages, 1 shuffle ==");
    assertTrue(Files.exists(out.resolve("_SUCCESS")), "the job ran after the plan was printed");
  }

  private static String kb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f KB", bytes / 1024.0);
  }

  private static WeftContext context(String threshold, String name) {
    return WeftContext.create(new WeftConf(false).setMaster("local[2]").setAppName(name)
        .set("weft.local.dir", dir.resolve("local-" + name).toString())
        .set("weft.join.broadcastThreshold", threshold));
  }

  private static Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content + "\n");
  }

  private static void assertStartsWith(String plan, String head) {
    assertTrue(plan.startsWith(head), "expected " + head + " in:\n" + plan);
  }

  private static void assertInOrder(String plan, String... parts) {
    int at = -1;
    for (String p : parts) {
      int next = plan.indexOf(p, at + 1);
      assertTrue(next > at, "'" + p + "' after the previous part in:\n" + plan);
      at = next;
    }
  }
}
