package io.weft.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.weft.Dataset;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lineage fingerprint of a long, iterative lineage: every node is hashed once however many
 * paths reach it (a node's parent is both a field and a dependency; before that was memoized, each
 * level doubled the walk, so 60 maps meant 2^60 visits and a driver that never submitted its job).
 */
class LineageFingerprintTest {
  private static Dataset<Integer> chain(WeftContext ctx, int depth, int step) {
    Dataset<Integer> d = ctx.parallelize(IntStream.range(0, 100).boxed().toList(), 2);
    for (int i = 0; i < depth; i++) {
      d = d.map(x -> x + step);
    }
    return d;
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS) // guards the hang this test is about, not a speed target
  void aDeepChainIsFingerprintedOnceANodeAndStaysDeterministic() {
    try (WeftContext ctx = WeftContext.create(new WeftConf(false).setMaster("local[1]").setAppName("fingerprint"))) {
      String deep = LineageFingerprint.of(chain(ctx, 60, 1).node(), ctx.hadoopConfiguration()).orElseThrow();
      assertEquals(deep, LineageFingerprint.of(chain(ctx, 60, 1).node(), ctx.hadoopConfiguration()).orElseThrow(),
          "the same program gives the same fingerprint");
      assertNotEquals(deep, LineageFingerprint.of(chain(ctx, 60, 2).node(), ctx.hadoopConfiguration()).orElseThrow(),
          "a captured value that differs changes it");
      assertNotEquals(deep, LineageFingerprint.of(chain(ctx, 59, 1).node(), ctx.hadoopConfiguration()).orElseThrow(),
          "one map fewer changes it");

      Dataset<Integer> base = chain(ctx, 3, 1);
      Dataset<Integer> diamond = base.map(x -> x * 2).union(base.map(x -> x * 3));
      for (int i = 0; i < 30; i++) {
        // each level reads the one below twice; coalesce keeps the partition count at 2
        diamond = diamond.map(x -> x + 1).union(diamond.filter(x -> x % 2 == 0)).coalesce(2);
      }
      String d = LineageFingerprint.of(diamond.node(), ctx.hadoopConfiguration()).orElseThrow();
      assertEquals(List.of(d), List.of(LineageFingerprint.of(diamond.node(), ctx.hadoopConfiguration()).orElseThrow()));
    }
  }
}
