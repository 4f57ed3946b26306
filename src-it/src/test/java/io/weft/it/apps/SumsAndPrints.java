package io.weft.it.apps;

import io.weft.WeftConf;
import io.weft.WeftContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A small Weft job on YARN: sums 1..N (argument N) over 8 partitions on the executors and prints
 * {@code SumsAndPrints: sum of 1..N is S} on the driver's stdout, for tests that look for the
 * driver's output (in the logs) or only need a job that runs tasks.
 */
public final class SumsAndPrints {
  private SumsAndPrints() {}

  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    List<Long> numbers = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      numbers.add(i);
    }
    try (WeftContext wc = WeftContext.create(new WeftConf())) {
      long sum = wc.parallelize(numbers, 8).reduce(Long::sum);
      System.out.println("SumsAndPrints: sum of 1.." + n + " is " + sum);
    }
  }
}
