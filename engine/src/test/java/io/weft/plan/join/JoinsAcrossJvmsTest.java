package io.weft.plan.join;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weft.JoinHint;
import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Joins with executors in their own JVMs: the broadcast table travels to them, the shuffle join's
 * sides meet across them; every variant still matches a nested-loop join. And a hot key of
 * 20,000 × 2,000 values (40 million output pairs) is joined inside a 512 MB executor heap; the
 * cogroup-based join, which built a key's whole cross product in one list, ran out of memory
 * there already at 20,000 × 1,000 (issue 14).
 */
class JoinsAcrossJvmsTest {
  @TempDir
  static Path dir;

  @Test
  @Timeout(300)
  void everyVariantMatchesANestedLoopJoinAcrossExecutors() {
    List<Pair<String, Integer>> left = NestedLoopJoin.left(3_000, 11);
    List<Pair<String, String>> right = NestedLoopJoin.right(2_000, 12);
    try (WeftContext wc = cluster("local-cluster[2,1,512]", "joins-across-jvms")) {
      PairDataset<String, Integer> l = wc.parallelizePairs(left, 4);
      PairDataset<String, String> r = wc.parallelizePairs(right, 3);
      for (JoinType type : JoinType.values()) {
        List<String> expected = NestedLoopJoin.expected(left, right, type);
        assertEquals(expected, NestedLoopJoin.actual(l, r, type, JoinHint.SHUFFLE), type + " shuffle");
        assertEquals(expected, NestedLoopJoin.actual(l, r, type, JoinHint.BROADCAST), type + " broadcast");
      }
    }
  }

  @Test
  @Timeout(300)
  void aHotKeyOf40MillionPairsIsJoinedInA512MbExecutor() {
    List<Pair<String, Integer>> big = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      big.add(Pair.of("hot", i));
      if (i % 10 == 0) {
        big.add(Pair.of("left-only" + i, i));
      }
    }
    List<Pair<String, Integer>> small = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      small.add(Pair.of("hot", -i));
    }
    small.add(Pair.of("right-only", 1));
    small.add(Pair.of("left-only10", 2));
    long pairs = 20_000L * 2_000;
    try (WeftContext wc = cluster("local-cluster[1,1,512]", "hot-key-join")) {
      PairDataset<String, Integer> b = wc.parallelizePairs(big, 4);
      PairDataset<String, Integer> s = wc.parallelizePairs(small, 2);
      assertEquals(pairs + 1, b.join(s, JoinHint.SHUFFLE).count(), "20,000 × 2,000 plus left-only10's one match");
      // the big side built this time: 20,000 values buffered, 2,000 streamed
      assertEquals(pairs + 1, s.join(b, JoinHint.SHUFFLE).count());
      // 1,999 unmatched left-only keys, the matched one, and right-only
      assertEquals(pairs + 1 + 1_999 + 1, b.fullOuterJoin(s).count());
    }
  }

  private static WeftContext cluster(String master, String name) {
    return WeftContext.create(new WeftConf(false).setMaster(master).setAppName(name)
        .set("weft.local.dir", dir.resolve(name).toString())
        .set("weft.executor.registration.timeout", "60s"));
  }
}
