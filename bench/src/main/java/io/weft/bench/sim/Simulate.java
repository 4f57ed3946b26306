package io.weft.bench.sim;

import io.weft.config.Sizes;
import io.weft.scheduler.task.TaskLocality;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bin/weft simulate}: one job of T tasks over an HDFS-like file on a simulated cluster of
 * N nodes on R racks, scheduled by the real DAG and task schedulers in simulated time (see
 * {@link SchedulerSimulation}). Prints the settings, the scheduler's own locality counts, and as
 * its last line exactly
 *
 * <pre>tasks=T placements_per_s=P node_local=X% rack_local=Y% any=Z% makespan_s=M</pre>
 *
 * <p>P is task placements per second of wall time (the scheduler's cost); M is the simulated
 * makespan. A benchmark, not a test: it exits 1 only if the scheduler's reported levels disagree
 * with the simulation's own count.
 */
public final class Simulate {
  static final String USAGE = String.join("\n",
      "Usage: weft simulate [--nodes N] [--racks R] [--slots S] [--tasks T] [--locality-wait D]",
      "                     [--seed X] [--task-ms MS] [--registration-ms MS]",
      "                     [--executors E] [--executor-placement data|anywhere]",
      "  Schedules T tasks over a simulated HDFS file (3 replicas: one on a random node, two on",
      "  another rack) on N nodes over R racks, one executor of S slots per node, with the real",
      "  Weft scheduler in simulated time. Defaults: 1000 nodes, 40 racks, 8 slots, 100000 tasks,",
      "  weft.locality.wait's default (3s), seed 42, tasks of 2000 ms on average (log-normal),",
      "  executors registering within the first 1000 ms.",
      "  With --executors E below N, only E nodes get an executor: their container requests are",
      "  placed from the input's blocks by the ApplicationMaster's planner (data, the default) or",
      "  name no place (anywhere), and granted as YARN would with relaxed locality.",
      "  Example: weft simulate --tasks 100000 --locality-wait 0");

  private Simulate() {}

  public static void main(String[] args) {
    SchedulerSimulation.Settings settings;
    try {
      settings = parse(Arrays.asList(args));
    } catch (IllegalArgumentException e) {
      System.err.println("weft simulate: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    if (settings == null) {
      System.out.println(USAGE);
      return;
    }
    System.out.printf("simulating %d tasks on %d nodes, %d racks, %d slots each; locality wait %s; seed %d%n",
        settings.tasks(), settings.nodes(), settings.racks(), settings.slots(),
        settings.localityWaitMs() == null ? "default" : settings.localityWaitMs() + " ms", settings.seed());
    if (settings.executors() < settings.nodes()) {
      System.out.printf("%d executors, requests placed %s%n", settings.executors(),
          settings.followData() ? "by the input's blocks" : "anywhere");
    }
    SchedulerSimulation.Result r = new SchedulerSimulation(settings).run();
    if (settings.executors() < settings.nodes()) {
      System.out.printf("%d of %d executors landed on the host their request named%n", r.executorsOnRequestedHost(),
          settings.executors());
    }
    System.out.printf("wall %.2f s for %d placements; scheduler reported %s%n", r.wallSeconds(), r.launches(),
        r.reportedByLocality());
    System.out.println(lastLine(r));
    if (!r.agrees()) {
      System.err.println("weft simulate: the scheduler's levels " + r.reportedByLocality()
          + " disagree with the simulation's count " + r.byLocality());
      System.exit(1);
    }
  }

  static String lastLine(SchedulerSimulation.Result r) {
    return String.format(Locale.ROOT, "tasks=%d placements_per_s=%.0f node_local=%.1f%% rack_local=%.1f%% any=%.1f%% makespan_s=%.1f",
        r.tasks(), r.placementsPerSecond(), r.percent(TaskLocality.NODE_LOCAL), r.percent(TaskLocality.RACK_LOCAL),
        r.percent(TaskLocality.ANY), r.makespanMs() / 1000.0);
  }

  /** The settings, or null when help was asked for. */
  static SchedulerSimulation.Settings parse(List<String> args) {
    int nodes = 1000;
    int racks = 40;
    int slots = 8;
    int tasks = 100_000;
    Long wait = null;
    long seed = 42;
    long taskMs = 2000;
    long registrationMs = 1000;
    Integer executors = null;
    boolean followData = true;
    List<String> rest = new ArrayList<>(args);
    while (!rest.isEmpty()) {
      String flag = rest.remove(0);
      if (flag.equals("--help") || flag.equals("-h")) {
        return null;
      }
      if (rest.isEmpty()) {
        throw new IllegalArgumentException(flag.startsWith("--") ? flag + " needs a value" : "unexpected '" + flag + "'");
      }
      String value = rest.remove(0);
      switch (flag) {
        case "--nodes" -> nodes = positive(flag, value);
        case "--racks" -> racks = positive(flag, value);
        case "--slots" -> slots = positive(flag, value);
        case "--tasks" -> tasks = positive(flag, value);
        case "--locality-wait" -> wait = Sizes.parseDurationMs(value);
        case "--seed" -> seed = Long.parseLong(value);
        case "--task-ms" -> taskMs = positive(flag, value);
        case "--registration-ms" -> registrationMs = Long.parseLong(value);
        case "--executors" -> executors = positive(flag, value);
        case "--executor-placement" -> followData = switch (value) {
          case "data" -> true;
          case "anywhere" -> false;
          default -> throw new IllegalArgumentException("--executor-placement is data or anywhere, not '" + value + "'");
        };
        default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
      }
    }
    if (racks > nodes) {
      throw new IllegalArgumentException("--racks (" + racks + ") cannot exceed --nodes (" + nodes + ")");
    }
    if (executors != null && executors > nodes) {
      throw new IllegalArgumentException("--executors (" + executors + ") cannot exceed --nodes (" + nodes + ")");
    }
    return new SchedulerSimulation.Settings(nodes, racks, slots, tasks, wait, seed, taskMs, registrationMs,
        executors == null ? nodes : executors, followData);
  }

  private static int positive(String flag, String value) {
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a number, not '" + value + "'");
    }
    if (n < 1) {
      throw new IllegalArgumentException(flag + " must be at least 1, not " + n);
    }
    return n;
  }
}
