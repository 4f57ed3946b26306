package io.weft.bench.sim;

import io.weft.WeftConf;
import io.weft.cluster.ClusterBackend;
import io.weft.cluster.ExecutorInfo;
import io.weft.cluster.RackResolver;
import io.weft.cluster.SchedulerCallbacks;
import io.weft.executor.TaskMetrics;
import io.weft.scheduler.DagScheduler;
import io.weft.scheduler.EventSink;
import io.weft.scheduler.JobWaiter;
import io.weft.scheduler.OutputCommitCoordinator;
import io.weft.scheduler.ResultFn;
import io.weft.scheduler.SchedulerEvent;
import io.weft.scheduler.TaskDescription;
import io.weft.scheduler.TaskOutcome;
import io.weft.scheduler.task.TaskLocality;
import io.weft.serialization.JavaSerializer;
import io.weft.status.ListenerBus;
import io.weft.status.ListenerEvent;
import io.weft.util.Clock;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs one job over a simulated HDFS file through the real {@link DagScheduler} and task
 * scheduler, in simulated time: executors are fakes that "run" a task by scheduling its end at
 * now + a seeded duration, and a priority queue of timed events (executor registrations, task
 * ends, the scheduler's own locality timers) moves a manual clock. No sleeps, threads (but the
 * listener bus's), JVMs or network: the wall time measured is the scheduler's own work.
 *
 * <p>Locality is counted twice: by the simulation, from each launched task's block hosts and the
 * executor's host and rack (independently of the scheduler's bookkeeping), and from the
 * scheduler's {@link ListenerEvent.TaskEnded} events; {@link Result#agrees} compares them.
 *
 * <p>Threading: everything but the listener bus runs on the caller's thread.
 */
final class SchedulerSimulation {
  /** One simulation's settings; durations in milliseconds. */
  record Settings(int nodes, int racks, int slots, int tasks, Long localityWaitMs, long seed,
      long meanTaskMs, long maxRegistrationDelayMs, int executors, boolean followData) {
    /** One executor per node, as before executors could be fewer than nodes. */
    Settings(int nodes, int racks, int slots, int tasks, Long localityWaitMs, long seed, long meanTaskMs,
        long maxRegistrationDelayMs) {
      this(nodes, racks, slots, tasks, localityWaitMs, seed, meanTaskMs, maxRegistrationDelayMs, nodes, true);
    }
  }

  /** What a run measured. */
  record Result(int tasks, long launches, double wallSeconds, long makespanMs,
      Map<TaskLocality, Long> byLocality, Map<TaskLocality, Long> reportedByLocality, int executorsOnRequestedHost) {
    double placementsPerSecond() {
      return launches / wallSeconds;
    }

    double percent(TaskLocality level) {
      return 100.0 * byLocality.getOrDefault(level, 0L) / launches;
    }

    boolean agrees() {
      return byLocality.equals(reportedByLocality);
    }
  }

  private record Timed(long atMs, long seq, SchedulerEvent event) {}

  private final Settings settings;
  private final SimulatedCluster cluster;
  private final String[][] blockHosts;
  private final Random random;
  private final PriorityQueue<Timed> timeline = new PriorityQueue<>(
      (a, b) -> a.atMs != b.atMs ? Long.compare(a.atMs, b.atMs) : Long.compare(a.seq, b.seq));
  private final ArrayDeque<SchedulerEvent> now = new ArrayDeque<>();
  private final Map<TaskLocality, Long> byLocality = new EnumMap<>(TaskLocality.class);
  private final Map<String, String> hostOfExecutor = new HashMap<>();
  private final byte[] resultBytes = new JavaSerializer().newInstance().serialize(0);
  private Consumer<SchedulerEvent> handler;
  private long clockMs;
  private long seq;
  private long launches;
  private boolean handling;
  private int onRequestedHost;

  SchedulerSimulation(Settings settings) {
    this.settings = settings;
    this.cluster = new SimulatedCluster(settings.nodes(), settings.racks());
    this.random = new Random(settings.seed());
    this.blockHosts = cluster.placeBlocks(settings.tasks(), random);
  }

  Result run() {
    WeftConf conf = new WeftConf(false).set("weft.task.maxFailures", "4");
    if (settings.localityWaitMs() != null) {
      conf.set("weft.locality.wait", settings.localityWaitMs() + "ms");
    }
    ListenerBus bus = new ListenerBus();
    Map<TaskLocality, AtomicLong> reported = new EnumMap<>(TaskLocality.class);
    for (TaskLocality l : TaskLocality.values()) {
      reported.put(l, new AtomicLong());
    }
    bus.addListener(e -> {
      if (e instanceof ListenerEvent.TaskEnded t && t.succeeded()) {
        reported.get(t.locality()).incrementAndGet();
      }
    });
    try {
      Clock clock = () -> clockMs;
      DagScheduler dag = new DagScheduler(new Events(), new Backend(), clock, conf, bus, updates -> {},
          new OutputCommitCoordinator());
      handler = dag::handle;
      for (int n : executorNodes()) {
        String id = "exec-" + n;
        hostOfExecutor.put(id, cluster.host(n));
        long delay = settings.maxRegistrationDelayMs() == 0 ? 0 : (long) (random.nextDouble() * settings.maxRegistrationDelayMs());
        at(delay, new SchedulerEvent.ExecutorAdded(new ExecutorInfo(id, cluster.host(n), 0, settings.slots())));
      }
      long start = System.nanoTime();
      SimulatedInput input = new SimulatedInput(blockHosts);
      JobWaiter waiter = new JobWaiter(0, settings.tasks());
      ResultFn<Object, Integer> fn = (task, it) -> 0;
      int[] partitions = new int[settings.tasks()];
      for (int i = 0; i < partitions.length; i++) {
        partitions[i] = i;
      }
      input.partitions(); // as WeftContext.runJob does on the caller's thread, before submitting
      post(new SchedulerEvent.JobSubmitted(0, input, fn, partitions, waiter, "simulate"));
      while (!waiter.isDone()) {
        Timed next = timeline.poll();
        if (next == null) {
          throw new IllegalStateException("the simulation stalled: nothing left to happen, job unfinished");
        }
        clockMs = Math.max(clockMs, next.atMs);
        post(next.event);
      }
      double wall = (System.nanoTime() - start) / 1e9;
      if (!bus.waitUntilEmpty(60_000)) {
        throw new IllegalStateException("the listener bus did not drain in 60 s");
      }
      Map<TaskLocality, Long> fromEvents = new EnumMap<>(TaskLocality.class);
      reported.forEach((l, n) -> {
        if (n.get() > 0) {
          fromEvents.put(l, n.get());
        }
      });
      return new Result(settings.tasks(), launches, wall, clockMs, byLocality, fromEvents, onRequestedHost);
    } finally {
      bus.stop();
    }
  }

  /**
   * The nodes with an executor: every node, or, with fewer executors than nodes, those the
   * simulated allocator grants ({@link SimulatedAllocator}).
   */
  private List<Integer> executorNodes() {
    if (settings.executors() >= cluster.nodes()) {
      return java.util.stream.IntStream.range(0, cluster.nodes()).boxed().toList();
    }
    SimulatedAllocator.Granted g = SimulatedAllocator.place(cluster, blockHosts, settings.executors(),
        settings.followData(), random);
    onRequestedHost = g.onRequestedHost();
    return g.nodes();
  }

  private void at(long atMs, SchedulerEvent event) {
    timeline.add(new Timed(atMs, seq++, event));
  }

  /** Handles {@code event} now, and what it posts in turn, one at a time (as the event loop would). */
  private void post(SchedulerEvent event) {
    now.add(event);
    if (handling) {
      return;
    }
    handling = true;
    try {
      while (!now.isEmpty()) {
        handler.accept(now.poll());
      }
    } finally {
      handling = false;
    }
  }

  /** A task's duration: log-normal around the mean (sigma 0.5), at least 1 ms. */
  private long duration() {
    double sigma = 0.5;
    double ms = settings.meanTaskMs() * Math.exp(sigma * random.nextGaussian() - sigma * sigma / 2);
    return Math.max(1, Math.round(ms));
  }

  private TaskLocality localityOf(int partition, String host) {
    String[] hosts = blockHosts[partition];
    String rack = cluster.rackOf(host);
    boolean sameRack = false;
    for (String h : hosts) {
      if (h.equals(host)) {
        return TaskLocality.NODE_LOCAL;
      }
      sameRack |= cluster.rackOf(h).equals(rack);
    }
    return sameRack ? TaskLocality.RACK_LOCAL : TaskLocality.ANY;
  }

  private final class Events implements EventSink<SchedulerEvent> {
    @Override
    public void post(SchedulerEvent event) {
      SchedulerSimulation.this.post(event);
    }

    @Override
    public void postLater(SchedulerEvent event, long delayMs) {
      at(clockMs + delayMs, event);
    }

    @Override
    public void checkInLoop() {
      if (!handling) {
        throw new IllegalStateException("scheduler state touched outside event handling");
      }
    }
  }

  /** Executors that finish each task after a seeded duration. */
  private final class Backend implements ClusterBackend {
    @Override
    public void start(SchedulerCallbacks callbacks) {}

    @Override
    public void launchTask(String executorId, TaskDescription task) {
      launches++;
      byLocality.merge(localityOf(task.partitionIndex(), hostOfExecutor.get(executorId)), 1L, Long::sum);
      at(clockMs + duration(), new SchedulerEvent.TaskEnded(task.taskId(),
          new TaskOutcome.Success(resultBytes, new TaskMetrics(), Map.of(), List.of())));
    }

    @Override
    public void killTask(String executorId, long taskId, String reason) {}

    @Override
    public void removeShuffle(int shuffleId) {}

    @Override
    public void removeCachedNode(int nodeId) {}

    @Override
    public RackResolver rackResolver() {
      return cluster.rackResolver();
    }

    @Override
    public int defaultParallelism() {
      return settings.nodes() * settings.slots();
    }

    @Override
    public void stop() {}
  }
}
