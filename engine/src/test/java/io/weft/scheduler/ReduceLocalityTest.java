package io.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weft.WeftConf;
import io.weft.plan.ShuffleDependency;
import io.weft.scheduler.task.LocalityWaits;
import io.weft.scheduler.task.TaskLocation;
import io.weft.scheduler.task.TaskScheduler;
import io.weft.serialization.JavaSerializer;
import io.weft.shuffle.MapOutputLocation;
import io.weft.testing.FakeClusterBackend;
import io.weft.testing.ManualClock;
import io.weft.testing.TestNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * weft.shuffle.reduceLocality.enabled: a reduce task prefers the hosts whose map outputs hold at
 * least a fifth of its input bytes, biggest first; nothing when it is off, when no host holds
 * that much, or when the shuffle is too large for the choice to be cheap.
 */
class ReduceLocalityTest {
  private final MapOutputTracker outputs = new MapOutputTracker();

  private StageSubmitter submitter(boolean reduceLocality) {
    FakeClusterBackend backend = new FakeClusterBackend();
    TaskScheduler tasks = new TaskScheduler(backend, new ManualClock(0), LocalityWaits.from(new WeftConf(false)), 4,
        backend.rackResolver(), delay -> { });
    return new StageSubmitter(outputs, new CacheTracker(), tasks, JavaSerializer.instance(), reduceLocality);
  }

  /** Map output {@code map} of {@code reduce}'s shuffle, written on {@code host} with these block sizes. */
  private void written(TestNode reduce, int map, String host, long... blockSizes) {
    ShuffleDependency<?, ?, ?> dep = (ShuffleDependency<?, ?, ?>) reduce.dependencies().get(0);
    outputs.registerShuffle(dep.shuffleId(), 3);
    outputs.registerMapOutput(dep.shuffleId(), map,
        CompressedMapStatus.of(new MapOutputLocation("exec-" + host, host, 7337), blockSizes));
  }

  @Test
  void aReduceTaskPrefersTheHostsHoldingAFifthOfItsBytes() {
    TestNode reduce = TestNode.shuffled(3, TestNode.source(3));
    written(reduce, 0, "hostA", 10_000, 100, 3_000);
    written(reduce, 1, "hostB", 1_000, 100, 3_000);
    written(reduce, 2, "hostC", 500, 5_000, 4_000);

    StageSubmitter on = submitter(true);
    assertEquals(List.of(TaskLocation.host("hostA")), on.preferredLocations(reduce, 0), "87% of partition 0 on hostA");
    assertEquals(List.of(TaskLocation.host("hostC")), on.preferredLocations(reduce, 1), "96% of partition 1 on hostC");
    assertEquals(List.of(TaskLocation.host("hostC"), TaskLocation.host("hostA"), TaskLocation.host("hostB")),
        on.preferredLocations(reduce, 2), "each host holds at least a fifth of partition 2, most first");
    assertEquals(List.of(), submitter(false).preferredLocations(reduce, 0), "off by default");
  }

  @Test
  void noPreferenceWhenTheBytesAreSpreadOrTheShuffleIsLarge() {
    TestNode spread = TestNode.shuffled(1, TestNode.source(6));
    ShuffleDependency<?, ?, ?> dep = (ShuffleDependency<?, ?, ?>) spread.dependencies().get(0);
    outputs.registerShuffle(dep.shuffleId(), 6);
    for (int m = 0; m < 6; m++) {
      outputs.registerMapOutput(dep.shuffleId(), m,
          CompressedMapStatus.of(new MapOutputLocation("e" + m, "host" + m, 7337), new long[] {1_000}));
    }
    assertEquals(List.of(), submitter(true).preferredLocations(spread, 0), "a sixth each: below a fifth");

    TestNode wide = TestNode.shuffled(StageSubmitter.REDUCE_LOCALITY_MAX_PARTITIONS, TestNode.source(3));
    long[] sizes = new long[StageSubmitter.REDUCE_LOCALITY_MAX_PARTITIONS];
    sizes[0] = 1_000;
    written(wide, 0, "hostA", sizes);
    assertEquals(List.of(), submitter(true).preferredLocations(wide, 0), "1,000 reduce partitions: not worked out");
  }
}
