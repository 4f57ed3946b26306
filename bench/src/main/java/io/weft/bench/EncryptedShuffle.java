package io.weft.bench;

import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.status.ListenerEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cost of weft.network.crypto.enabled on a shuffle between executor JVMs: {@code --mb} MiB
 * of 1 KiB byte-array records, generated inside the tasks, go through {@code repartition} and
 * are summed; runs alternate crypto off and on, each in a fresh context.
 *
 * <pre>
 * java -cp "$(ls bench/target/weft-bench-*.jar):yarn-client/target/lib/*" io.weft.bench.EncryptedShuffle \
 *     [--master local-cluster[2,1,1024]] [--mb 256] [--runs 2] [--partitions 16]
 * </pre>
 * Prints each run's wall time (context start excluded) and shuffle bytes written, checks the
 * byte total, and the median per setting. A measurement, not a test: WireEncryptionTest and
 * EncryptedLocalClusterTest check correctness.
 */
public final class EncryptedShuffle {
  private static final int RECORD_BYTES = 1024;

  private EncryptedShuffle() {}

  public static void main(String[] args) {
    String master = "local-cluster[2,1,1024]";
    long mb = 256;
    int runs = 2;
    int partitions = 16;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--master" -> master = args[i + 1];
        case "--mb" -> mb = Long.parseLong(args[i + 1]);
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        case "--partitions" -> partitions = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    long records = (mb << 20) / RECORD_BYTES;
    List<Double> off = new ArrayList<>();
    List<Double> on = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      for (boolean crypto : new boolean[] {false, true}) {
        (crypto ? on : off).add(run(master, crypto, records, partitions));
      }
    }
    System.out.printf("median: crypto off %.2f s, crypto on %.2f s (%s, %d MiB, %d runs each)%n",
        median(off), median(on), master, mb, runs);
  }

  private static double run(String master, boolean crypto, long records, int partitions) {
    WeftConf conf = new WeftConf().setMaster(master).setAppName("encrypted-shuffle")
        .set("weft.network.crypto.enabled", String.valueOf(crypto));
    AtomicLong shuffled = new AtomicLong();
    try (WeftContext wc = WeftContext.create(conf)) {
      wc.addListener(e -> {
        if (e instanceof ListenerEvent.TaskEnded t) {
          shuffled.addAndGet(t.metrics().shuffleWriteBytes());
        }
      });
      List<Integer> seeds = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        seeds.add(p);
      }
      long perPartition = records / partitions;
      long start = System.nanoTime();
      long total = wc.parallelize(seeds, partitions)
          .flatMap(p -> generate(p, perPartition))
          .repartition(partitions)
          .map(b -> (long) b.length)
          .reduce(Long::sum);
      double seconds = (System.nanoTime() - start) / 1e9;
      wc.listenerBus().waitUntilEmpty(10_000);
      long expected = perPartition * partitions * RECORD_BYTES;
      System.out.printf("crypto %-3s %.2f s, shuffle write %d MiB%s%n", crypto ? "on" : "off", seconds,
          shuffled.get() >> 20, total == expected ? "" : " WRONG TOTAL " + total + " != " + expected);
      return seconds;
    }
  }

  /** {@code n} records of {@value #RECORD_BYTES} bytes, each different, made as they are read. */
  private static Iterator<byte[]> generate(int seed, long n) {
    return new Iterator<>() {
      private long i;

      @Override
      public boolean hasNext() {
        return i < n;
      }

      @Override
      public byte[] next() {
        if (i >= n) {
          throw new NoSuchElementException();
        }
        byte[] b = new byte[RECORD_BYTES];
        long x = (seed * 0x9E3779B97F4A7C15L) ^ i++;
        for (int k = 0; k < b.length; k++) {
          x = x * 6364136223846793005L + 1442695040888963407L;
          b[k] = (byte) (x >>> 56);
        }
        return b;
      }
    };
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Double::compare);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
