package io.weft.it.apps;

import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.status.ListenerEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Weft program whose executors on one host always die (the fault hook of YarnExclusionIT):
 * every task checks the NodeManager host its container runs on ({@code NM_HOST}) and ends its
 * JVM when that is {@code args[0]}, as a machine with bad memory would. It sums the squares of
 * 1..{@link #N} over 12 partitions and prints
 * {@code dies-on-host: sum=S excluded=[hosts the scheduler excluded]}.
 */
public final class DiesOnHost {
  public static final int N = 10_000;

  private DiesOnHost() {}

  public static void main(String[] args) {
    String badHost = args[0];
    List<Long> numbers = new ArrayList<>();
    for (long i = 1; i <= N; i++) {
      numbers.add(i);
    }
    try (WeftContext wc = WeftContext.create(new WeftConf())) {
      List<String> excluded = new CopyOnWriteArrayList<>();
      wc.addListener(e -> {
        if (e instanceof ListenerEvent.HostExcluded h) {
          excluded.add(h.host());
        }
      });
      long sum = wc.parallelize(numbers, 12).map(x -> {
        if (badHost.equals(System.getenv("NM_HOST"))) {
          Runtime.getRuntime().halt(3);
        }
        return x * x;
      }).reduce(Long::sum);
      wc.listenerBus().waitUntilEmpty(10_000);
      System.out.println("dies-on-host: sum=" + sum + " excluded=" + excluded);
    }
  }
}
