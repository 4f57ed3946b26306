package io.weft.bench;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A shuffle with very many partitions on both sides: {@code --records} integers in
 * {@code --maps} partitions, counted by key ({@code i % --keys}) into {@code --reduces}
 * partitions. With the defaults (1M records, 20,000 maps, 5,000 reduces) each map output has
 * about 50 non-empty blocks out of 5,000, so the run measures what a shuffle costs per (map,
 * reduce) pair that holds nothing: map statuses, task launch, index reads and fetches.
 *
 * <p>Run it in-process, in any mode:
 * <pre>
 * java -cp "$(ls bench/target/weft-bench-*.jar):yarn-client/target/lib/*" io.weft.bench.ManyPartitions \
 *     [--master local[2]] [--maps 20000] [--reduces 5000] [--records 1000000] [--keys 100000] [--timeout 300]
 * </pre>
 * It prints the job's wall time (context start excluded), checks the counts against a plain-Java
 * count and exits 0; a wrong result exits 1, a run past {@code --timeout} seconds exits 3.
 * This is a measurement, not a test: {@code ManyPartitionsShuffleTest} checks correctness.
 */
public final class ManyPartitions {
  private ManyPartitions() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = parse(args);
    String master = opts.getOrDefault("--master", "local[2]");
    int maps = Integer.parseInt(opts.getOrDefault("--maps", "20000"));
    int reduces = Integer.parseInt(opts.getOrDefault("--reduces", "5000"));
    int records = Integer.parseInt(opts.getOrDefault("--records", "1000000"));
    int keys = Integer.parseInt(opts.getOrDefault("--keys", "100000"));
    long timeoutSeconds = Long.parseLong(opts.getOrDefault("--timeout", "300"));

    List<Integer> data = new ArrayList<>(records);
    for (int i = 0; i < records; i++) {
      data.add(i);
    }
    try (WeftContext wc = WeftContext.create(new WeftConf().setMaster(master).setAppName("many-partitions"))) {
      ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "many-partitions-job");
        t.setDaemon(true);
        return t;
      });
      long start = System.nanoTime();
      Future<Map<Integer, Long>> job = runner.submit(() -> wc.parallelize(data, maps)
          .mapToPair(i -> Pair.of(i % keys, 1L))
          .reduceByKey(Long::sum, reduces)
          .collectAsMap());
      Map<Integer, Long> counts;
      try {
        counts = job.get(timeoutSeconds, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        System.out.printf("%s: %d maps x %d reduces, %d records: did not finish in %d s%n",
            master, maps, reduces, records, timeoutSeconds);
        System.out.flush();
        Runtime.getRuntime().halt(3); // the job cannot be cancelled; do not wait for it to close
        return;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      String check = check(counts, records, keys);
      System.out.printf("%s: %d maps x %d reduces, %d records: %.1f s (%s)%n",
          master, maps, reduces, records, seconds, check == null ? "result checked" : check);
      runner.shutdown();
      if (check != null) {
        System.exit(1);
      }
    }
  }

  /** Null when {@code counts} is what plain Java counts, else what differs. */
  private static String check(Map<Integer, Long> counts, int records, int keys) {
    Map<Integer, Long> expected = new HashMap<>();
    for (int i = 0; i < records; i++) {
      expected.merge(i % keys, 1L, Long::sum);
    }
    return expected.equals(counts) ? null
        : "WRONG: " + counts.size() + " keys, expected " + expected.size();
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: ManyPartitions [--master M] [--maps N] [--reduces N]"
            + " [--records N] [--keys N] [--timeout SECONDS]; bad argument '" + args[i] + "'");
      }
      opts.put(args[i], args[++i]);
    }
    return opts;
  }
}
