package io.weft.it.apps;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.status.ListenerEvent;
import io.weft.status.WeftListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The program of YarnExecutorKillIT (issue 15, case 2): joins two keyed datasets ({@link #left},
 * {@link #right}) into 4 partitions and saves {@code key<TAB>left<TAB>right} lines to
 * {@code args[0]}. When the join's reduce stage is submitted (a listener event: both map stages
 * ended and their outputs are registered), the driver {@code kill -9}s the JVM of the executor
 * that wrote map output 0 of the first map stage (found among this machine's processes by its
 * command line: every container of the embedded cluster runs here), waits for it to exit, and
 * then opens a gate file the reduce tasks wait for, so every reducer reads after the kill. At
 * the end it prints one line: {@code executor-kill: victim=V removed=[..] lost=[[..], [..]]
 * rerun=[[..], [..]]}, the map partitions of each map stage that were on the victim, and those
 * that ran (successfully) again after the kill.
 */
public final class KillsAnExecutorInJoin {
  public static final int LEFT_MAPS = 6;
  public static final int RIGHT_MAPS = 4;

  private KillsAnExecutorInJoin() {}

  /** Keys 0..599, 20 values each. */
  public static List<Pair<Integer, String>> left() {
    List<Pair<Integer, String>> out = new ArrayList<>();
    for (int i = 0; i < 12_000; i++) {
      out.add(Pair.of(i % 600, "l" + i));
    }
    return out;
  }

  /** Keys 0..899 (only 0..599 meet the left side), one or two values each. */
  public static List<Pair<Integer, String>> right() {
    List<Pair<Integer, String>> out = new ArrayList<>();
    for (int j = 0; j < 1_500; j++) {
      out.add(Pair.of((j * 7) % 900, "r" + j));
    }
    return out;
  }

  public static void main(String[] args) {
    Path gate = Path.of(System.getenv("LOCAL_DIRS").split(",")[0], "weft-executor-kill-gate");
    String gatePath = gate.toString();
    try (WeftContext wc = WeftContext.create(new WeftConf())) {
      KillHook hook = new KillHook(gate);
      wc.addListener(hook);
      wc.parallelizePairs(left(), LEFT_MAPS).join(wc.parallelizePairs(right(), RIGHT_MAPS), 4)
          .mapPartitions((Iterator<Pair<Integer, Pair<String, String>>> joined) -> {
            awaitGate(gatePath);
            List<String> lines = new ArrayList<>();
            joined.forEachRemaining(p -> lines.add(p.key() + "\t" + p.value().key() + "\t" + p.value().value()));
            return lines.iterator();
          }).saveAsTextFile(args[0]);
      wc.listenerBus().waitUntilEmpty(10_000);
      List<Set<Integer>> rerun = new ArrayList<>();
      for (int stage : hook.mapStages) {
        Set<Integer> again = new TreeSet<>();
        for (ListenerEvent.TaskEnded t : hook.ends.subList(hook.endsBeforeKill, hook.ends.size())) {
          if (t.succeeded() && t.stageId() == stage && !again.add(t.partition())) {
            again.add(-1 - t.partition()); // ran twice: shows up as a negative number
          }
        }
        rerun.add(again);
      }
      System.out.println("executor-kill: victim=" + hook.victim + " removed=" + hook.removed + " lost="
          + new ArrayList<>(hook.lost.values()) + " rerun=" + rerun);
    }
  }

  /**
   * Records task ends and executor removals; on the join's reduce stage submission kills the
   * victim and opens the gate. Runs on the listener bus's thread, which delivers events in order.
   */
  private static final class KillHook implements WeftListener {
    final List<ListenerEvent.TaskEnded> ends = new CopyOnWriteArrayList<>();
    final List<String> removed = new CopyOnWriteArrayList<>();
    final List<Integer> mapStages = new ArrayList<>();
    final Map<Integer, Set<Integer>> lost = new LinkedHashMap<>();
    private final Path gate;
    private List<Integer> joinStages = List.of();
    volatile String victim;
    volatile int endsBeforeKill;

    KillHook(Path gate) {
      this.gate = gate;
    }

    @Override
    public void onEvent(ListenerEvent event) {
      if (event instanceof ListenerEvent.TaskEnded t) {
        ends.add(t);
      } else if (event instanceof ListenerEvent.ExecutorRemoved r) {
        removed.add(r.executorId());
      } else if (event instanceof ListenerEvent.JobStarted j && j.stageIds().size() >= 3) {
        joinStages = j.stageIds();
      } else if (event instanceof ListenerEvent.StageSubmitted s && joinStages.contains(s.stageId())
          && victim == null) {
        if (mapStages.size() < 2) {
          mapStages.add(s.stageId());
        } else if (!mapStages.contains(s.stageId())) {
          killVictim();
        }
      }
    }

    private void killVictim() {
      victim = ends.stream().filter(t -> t.succeeded() && t.stageId() == mapStages.get(0) && t.partition() == 0)
          .findFirst().orElseThrow().executorId();
      for (int stage : mapStages) {
        Set<Integer> onVictim = new TreeSet<>();
        ends.stream().filter(t -> t.succeeded() && t.stageId() == stage && t.executorId().equals(victim))
            .forEach(t -> onVictim.add(t.partition()));
        lost.put(stage, onVictim);
      }
      endsBeforeKill = ends.size();
      String marker = "io.weft.yarn.executor.YarnExecutorMain " + victim + " ";
      ProcessHandle process = ProcessHandle.allProcesses()
          .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
          .findFirst().orElseThrow(() -> new IllegalStateException("no process runs " + marker));
      try {
        System.out.println("executor-kill: killing executor " + victim + " (pid " + process.pid() + ")");
        new ProcessBuilder("kill", "-9", Long.toString(process.pid())).inheritIO().start().waitFor();
        process.onExit().get(60, TimeUnit.SECONDS);
        Files.createFile(gate);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (Exception e) {
        throw new IllegalStateException("killing executor " + victim + " failed", e);
      }
    }
  }

  /** Waits (bounded) until the driver opened the gate. Runs in reduce tasks. */
  private static void awaitGate(String gate) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(Path.of(gate))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the driver never opened " + gate);
      }
      Thread.sleep(20);
    }
  }
}
