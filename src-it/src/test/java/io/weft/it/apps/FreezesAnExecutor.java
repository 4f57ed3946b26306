package io.weft.it.apps;

import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.status.ListenerEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Weft program that freezes one of its executors (the fault hook of YarnHeartbeatTimeoutIT):
 * job 1 learns the executors' process ids (all containers run on this machine), the driver sends
 * {@code SIGSTOP} to one (a JVM stuck in a GC pause or a hung NFS read: it neither heartbeats
 * nor closes its connection), then job 2 sums the squares of 1..{@link #N} over 8 partitions,
 * some of which are sent to the frozen executor. It prints
 * {@code frozen: sum=S lostAfterMs=T gone=G reason=R}: how long after the freeze the driver
 * declared the executor lost, whether its process is gone (its container released), and why.
 */
public final class FreezesAnExecutor {
  public static final int N = 20_000;

  private FreezesAnExecutor() {}

  public static void main(String[] args) throws Exception {
    try (WeftContext wc = WeftContext.create(new WeftConf())) {
      List<ListenerEvent.ExecutorRemoved> removed = new CopyOnWriteArrayList<>();
      wc.addListener(e -> {
        if (e instanceof ListenerEvent.ExecutorRemoved r) {
          removed.add(r);
        }
      });
      List<Long> pids = wc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8)
          .map(x -> ProcessHandle.current().pid()).collect().stream().distinct().sorted().toList();
      long frozen = pids.get(0);
      stop(frozen);
      long frozenAt = System.currentTimeMillis();
      List<Long> numbers = new ArrayList<>();
      for (long i = 1; i <= N; i++) {
        numbers.add(i);
      }
      long sum = wc.parallelize(numbers, 8).map(x -> x * x).reduce(Long::sum);
      wc.listenerBus().waitUntilEmpty(10_000);
      ListenerEvent.ExecutorRemoved lost = removed.isEmpty() ? null : removed.get(0);
      boolean gone = ProcessHandle.of(frozen).map(h -> {
        try {
          h.onExit().get(60, TimeUnit.SECONDS);
          return true;
        } catch (Exception e) {
          return false;
        }
      }).orElse(true);
      System.out.println("frozen: sum=" + sum + " lostAfterMs=" + (lost == null ? -1 : lost.timeMs() - frozenAt)
          + " gone=" + gone + " reason=" + (lost == null ? "none" : lost.reason()));
    }
  }

  private static void stop(long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-STOP", String.valueOf(pid)).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -STOP " + pid + " failed");
    }
  }
}
