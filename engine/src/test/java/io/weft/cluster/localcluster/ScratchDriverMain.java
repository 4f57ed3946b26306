package io.weft.cluster.localcluster;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A driver for {@link LocalClusterScratchTest} to run in its own JVM and stop with SIGTERM.
 * Argument: the scratch parent ({@code weft.local.dir}). Runs a shuffle, prints
 * {@code READY <executor pids>}, then runs a job whose tasks wait until they are interrupted, so
 * the signal arrives while shuffle files and running tasks exist.
 */
public final class ScratchDriverMain {
  private ScratchDriverMain() {}

  public static void main(String[] args) throws Exception {
    WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local-cluster[2,1,192]")
        .setAppName("sigterm").set("weft.local.dir", args[0])
        .set("weft.executor.registration.timeout", "60s"));
    var sums = wc.parallelizePairs(IntStream.range(0, 20_000).mapToObj(i -> Pair.of(i % 101, 1L)).toList(), 4)
        .reduceByKey(Long::sum, 4);
    if (sums.collectAsMap().size() != 101) {
      throw new IllegalStateException("wrong shuffle result");
    }
    List<Long> pids = wc.parallelize(List.of(1, 2, 3, 4), 4).map(x -> ProcessHandle.current().pid())
        .collect().stream().distinct().toList();
    System.out.println("READY " + pids.stream().map(String::valueOf).collect(Collectors.joining(",")));
    System.out.flush();
    // the context is deliberately never closed: only the shutdown hook can clean up
    sums.mapValues(v -> {
      new CountDownLatch(1).await();
      return v;
    }).count();
  }
}
