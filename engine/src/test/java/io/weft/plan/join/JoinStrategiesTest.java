package io.weft.plan.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.HashPartitioner;
import io.weft.JoinHint;
import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.status.ListenerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every join variant, run as a shuffle join (hash and, with a tiny shuffle memory, sort-merge)
 * and as a broadcast join, gives exactly the rows of a plain nested-loop join; and the planner
 * picks the strategy its rules say, from real input file sizes.
 */
@Timeout(180)
class JoinStrategiesTest {
  @TempDir
  static Path dir;
  private static WeftContext wc;

  @BeforeAll
  static void start() {
    wc = WeftContext.create(new WeftConf(false).setMaster("local[2]").setAppName("join-strategies")
        .set("weft.local.dir", dir.resolve("local").toString()));
  }

  @AfterAll
  static void stop() {
    wc.close();
  }

  private static final List<Pair<String, Integer>> LEFT = NestedLoopJoin.left(2_000, 1);
  private static final List<Pair<String, String>> RIGHT = NestedLoopJoin.right(1_500, 2);

  @Test
  void everyVariantMatchesANestedLoopJoinWithEitherStrategy() {
    PairDataset<String, Integer> l = wc.parallelizePairs(LEFT, 4);
    PairDataset<String, String> r = wc.parallelizePairs(RIGHT, 3);
    for (JoinType type : JoinType.values()) {
      List<String> expected = NestedLoopJoin.expected(LEFT, RIGHT, type);
      assertEquals(expected, NestedLoopJoin.actual(l, r, type, JoinHint.SHUFFLE), type + " shuffle");
      assertEquals(expected, NestedLoopJoin.actual(l, r, type, JoinHint.BROADCAST), type + " broadcast");
      assertEquals(expected, NestedLoopJoin.actual(l, r, type, JoinHint.AUTO), type + " auto");
    }
  }

  /** A build side bigger than the shuffle memory spills, and the join merges by key hash. */
  @Test
  void aSpilledBuildSideIsJoinedBySortMerge() {
    AtomicLong reduceSpills = new AtomicLong();
    try (WeftContext small = WeftContext.create(new WeftConf(false).setMaster("local[2]").setAppName("join-spill")
        .set("weft.local.dir", dir.resolve("spill").toString()).set("weft.shuffle.memory", "16k"))) {
      small.addListener(e -> {
        if (e instanceof ListenerEvent.TaskEnded t && t.metrics().shuffleReadRecords() > 0) {
          reduceSpills.addAndGet(t.metrics().spillCount());
        }
      });
      PairDataset<String, Integer> l = small.parallelizePairs(LEFT, 4);
      PairDataset<String, String> r = small.parallelizePairs(RIGHT, 3);
      for (JoinType type : JoinType.values()) {
        assertEquals(NestedLoopJoin.expected(LEFT, RIGHT, type), NestedLoopJoin.actual(l, r, type, JoinHint.SHUFFLE),
            type.operation());
      }
      assertTrue(small.listenerBus().waitUntilEmpty(30_000), "listener bus drained");
    }
    assertTrue(reduceSpills.get() > 0, "the join tasks spilled, so the sort-merge path ran");
  }

  @Test
  void cogroupStillListsEachSidesValuesPerKey() {
    PairDataset<String, Integer> l = wc.parallelizePairs(LEFT, 4);
    PairDataset<String, String> r = wc.parallelizePairs(RIGHT, 3);
    List<String> expected = new ArrayList<>();
    LEFT.stream().map(Pair::key).distinct().forEach(k -> expected.add(k + "|" + count(LEFT, k) + "|" + count(RIGHT, k)));
    RIGHT.stream().map(Pair::key).distinct().filter(k -> count(LEFT, k) == 0)
        .forEach(k -> expected.add(k + "|0|" + count(RIGHT, k)));
    List<String> actual = new ArrayList<>(l.cogroup(r).map(p -> p.key() + "|" + size(p.value().key()) + "|"
        + size(p.value().value())).collect());
    assertEquals(expected.stream().sorted().toList(), actual.stream().sorted().toList());
  }

  private static long count(List<? extends Pair<String, ?>> data, String key) {
    return data.stream().filter(p -> p.key().equals(key)).count();
  }

  private static int size(Iterable<?> values) {
    int n = 0;
    for (Object ignored : values) {
      n++;
    }
    return n;
  }

  @Test
  void aSmallTextInputIsBroadcastAutomaticallyAndABigOneShuffled() throws IOException {
    Path users = write("users.txt", IntStream.range(0, 300).mapToObj(i -> "u" + i + "\tc" + (i % 7)));
    Path events = write("events.txt", IntStream.range(0, 20_000).mapToObj(i -> "u" + (i % 400) + "\t" + i));
    PairDataset<String, String> countries = wc.textFile(users.toString()).mapToPair(s -> split(s));
    PairDataset<String, String> amounts = wc.textFile(events.toString()).mapToPair(s -> split(s));
    long usersBytes = Files.size(users);
    long eventsBytes = Files.size(events);
    try (WeftContext t = withThreshold((usersBytes + eventsBytes) / 2)) {
      PairDataset<String, String> c = t.textFile(users.toString()).mapToPair(s -> split(s));
      PairDataset<String, String> a = t.textFile(events.toString()).mapToPair(s -> split(s));
      BroadcastHashJoinNode<?> b = assertInstanceOf(BroadcastHashJoinNode.class, a.join(c).node());
      assertTrue(b.smallIsRight(), "the users file is the small side");
      assertTrue(b.reason().contains(SizeEstimates.format(usersBytes)), b.reason());
      assertInstanceOf(BroadcastHashJoinNode.class, c.join(a).node(), "either side of an inner join");
      assertInstanceOf(ShuffleJoinNode.class, c.leftOuterJoin(a).node(), "leftOuterJoin keeps the small left side");
      assertInstanceOf(ShuffleJoinNode.class, a.fullOuterJoin(c).node());
      assertInstanceOf(ShuffleJoinNode.class, a.join(c, 3).node(), "an explicit partition count is kept");
      assertEquals(sorted(a.join(c, JoinHint.SHUFFLE)), sorted(a.join(c)));
      assertEquals(sorted(a.leftOuterJoin(c, JoinHint.SHUFFLE)), sorted(a.leftOuterJoin(c)));
    }
    try (WeftContext t = withThreshold(usersBytes - 1)) {
      PairDataset<String, String> c = t.textFile(users.toString()).mapToPair(s -> split(s));
      PairDataset<String, String> a = t.textFile(events.toString()).mapToPair(s -> split(s));
      ShuffleJoinNode<?> s = assertInstanceOf(ShuffleJoinNode.class, a.join(c).node());
      assertTrue(s.reason().contains("under the threshold"), s.reason());
    }
    assertInstanceOf(BroadcastHashJoinNode.class, amounts.join(countries).node(), "10m default threshold");
  }

  @Test
  void aThresholdOfMinusOneDisablesTheAutomaticChoiceButNotTheHint() {
    try (WeftContext t = WeftContext.create(new WeftConf(false).setMaster("local[1]").setAppName("join-off")
        .set("weft.local.dir", dir.resolve("off").toString()).set("weft.join.broadcastThreshold", "-1"))) {
      PairDataset<String, Integer> l = t.parallelizePairs(LEFT, 2);
      PairDataset<String, String> r = t.parallelizePairs(RIGHT, 2);
      assertInstanceOf(ShuffleJoinNode.class, l.join(r).node());
      assertInstanceOf(BroadcastHashJoinNode.class, l.join(r, JoinHint.BROADCAST).node());
      assertInstanceOf(ShuffleJoinNode.class, l.join(r, JoinHint.SHUFFLE).node());
    }
  }

  @Test
  void coPartitionedSidesAreJoinedInPlace() {
    HashPartitioner p = new HashPartitioner(3);
    PairDataset<String, Integer> l = wc.parallelizePairs(LEFT, 4).partitionBy(p);
    PairDataset<String, String> r = wc.parallelizePairs(RIGHT, 3).partitionBy(p);
    ShuffleJoinNode<?> node = assertInstanceOf(ShuffleJoinNode.class, l.join(r).node());
    assertTrue(node.dependencies().stream().allMatch(d -> d instanceof io.weft.plan.NarrowDependency), node.reason());
    assertEquals(NestedLoopJoin.expected(LEFT, RIGHT, JoinType.INNER),
        NestedLoopJoin.actual(l, r, JoinType.INNER, JoinHint.AUTO));
  }

  private static WeftContext withThreshold(long bytes) {
    return WeftContext.create(new WeftConf(false).setMaster("local[2]").setAppName("join-threshold")
        .set("weft.local.dir", dir.resolve("t" + bytes).toString())
        .set("weft.join.broadcastThreshold", Long.toString(bytes)));
  }

  private static Pair<String, String> split(String line) {
    String[] f = line.split("\t");
    return Pair.of(f[0], f[1]);
  }

  private static List<String> sorted(PairDataset<String, ?> joined) {
    return joined.map(String::valueOf).collect().stream().sorted().collect(Collectors.toList());
  }

  private static Path write(String name, java.util.stream.Stream<String> lines) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, (Iterable<String>) lines::iterator);
    return f;
  }
}
