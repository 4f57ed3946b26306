package io.weft.it.apps;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A two-stage Weft job on YARN that stops half way until the test lets it go: 20 map tasks sum
 * 0..1999 by {@code i % 10}, then each of the 2 reduce tasks waits until file {@code args[0]}
 * exists (the test creates it once it has seen the ResourceManager report progress) and the driver
 * prints {@code WaitsForRelease: KEY=SUM} lines.
 */
public final class WaitsForRelease {
  private WaitsForRelease() {}

  public static void main(String[] args) {
    String release = args[0];
    try (WeftContext wc = WeftContext.create(new WeftConf())) {
      List<Pair<Integer, Long>> sums = wc.parallelize(IntStream.range(0, 2000).boxed().toList(), 20)
          .mapToPair(i -> Pair.of(i % 10, (long) i))
          .reduceByKey(Long::sum, 2)
          .mapPartitions(records -> {
            awaitFile(Path.of(release));
            return records;
          })
          .collect();
      sums.forEach(p -> System.out.println("WaitsForRelease: " + p.key() + "=" + p.value()));
    }
  }

  /** Polls for the file the test creates: this app stands for a slow job, the test waits on it. */
  private static void awaitFile(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(file + " never appeared");
      }
      Thread.sleep(50);
    }
  }
}
