package io.weft.testing;

import io.weft.WeftConf;
import io.weft.cluster.ExecutorInfo;
import io.weft.cluster.RackResolver;
import io.weft.executor.Executor;
import io.weft.executor.TaskMetrics;
import io.weft.plan.Node;
import io.weft.scheduler.DagScheduler;
import io.weft.scheduler.JobWaiter;
import io.weft.scheduler.MapStatus;
import io.weft.scheduler.OutputCommitCoordinator;
import io.weft.scheduler.ResultFn;
import io.weft.scheduler.SchedulerEvent;
import io.weft.scheduler.TaskDescription;
import io.weft.scheduler.TaskEndReason;
import io.weft.scheduler.TaskOutcome;
import io.weft.serialization.JavaSerializer;
import io.weft.serialization.SerializerInstance;
import io.weft.shuffle.MapOutputLocation;
import io.weft.status.ListenerBus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The real {@link DagScheduler} driven on the test thread: a fake backend that runs nothing, a
 * manual clock, synchronous events. Tests submit jobs, look at what was launched and decide how
 * each task ends, in Spark's DAGSchedulerSuite style.
 */
public final class SchedulerHarness implements AutoCloseable {
  public final SynchronousEvents<SchedulerEvent> events = new SynchronousEvents<>();
  public final FakeClusterBackend backend = new FakeClusterBackend();
  public final ManualClock clock = new ManualClock(1_000_000);
  public final ListenerBus bus = new ListenerBus();
  public final Map<Long, Long> accumulators = new HashMap<>();
  public final DagScheduler dag;
  private final SerializerInstance java = JavaSerializer.instance();
  private final Set<Long> ended = new HashSet<>();
  private final Map<String, String> hosts = new HashMap<>();
  private int nextJobId;

  public SchedulerHarness(WeftConf conf) {
    this(conf, RackResolver.NONE);
  }

  /** A harness whose backend places hosts on racks with {@code racks}. */
  public SchedulerHarness(WeftConf conf, RackResolver racks) {
    backend.racks = racks;
    dag = new DagScheduler(events, backend, clock, conf, bus,
        updates -> updates.forEach((id, v) -> accumulators.merge(id, v, Long::sum)),
        new OutputCommitCoordinator());
    events.setHandler(dag::handle);
  }

  public SchedulerHarness() {
    this(new WeftConf(false).set("weft.task.maxFailures", "3").set("weft.locality.wait", "1s"));
  }

  public void addExecutor(String id, String host, int slots) {
    hosts.put(id, host);
    events.post(new SchedulerEvent.ExecutorAdded(new ExecutorInfo(id, host, 7000, slots)));
  }

  public void loseExecutor(String id) {
    loseExecutor(id, "test");
  }

  /** Executor {@code id} is lost: the tasks launched on it no longer count as running. */
  public void loseExecutor(String id, String reason) {
    backend.launchedOn.forEach((task, exec) -> {
      if (exec.equals(id)) {
        ended.add(task);
      }
    });
    events.post(new SchedulerEvent.ExecutorLost(id, reason));
  }

  /** Executor {@code id} says it is alive. */
  public void heartbeat(String id) {
    events.post(new SchedulerEvent.HeartbeatReceived(id));
  }

  /** The backend says no executor can be started any more. */
  public void exhaustExecutors(String reason) {
    events.post(new SchedulerEvent.ExecutorsExhausted(reason));
  }

  /** Submits a job over the given partitions (all if none) whose result per partition is its index. */
  public JobWaiter submit(Node<?> node, int... partitions) {
    int[] parts = partitions.length > 0 ? partitions : allPartitions(node);
    JobWaiter waiter = new JobWaiter(nextJobId, parts.length);
    ResultFn<Object, Integer> fn = (task, it) -> task.partitionId();
    events.post(new SchedulerEvent.JobSubmitted(nextJobId++, node, fn, parts, waiter, "test"));
    return waiter;
  }

  private static int[] allPartitions(Node<?> node) {
    int[] all = new int[node.numPartitions()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return all;
  }

  /** Launched tasks that have not ended yet, in launch order. */
  public List<TaskDescription> running() {
    List<TaskDescription> out = new ArrayList<>();
    for (TaskDescription t : backend.launched.values()) {
      if (!ended.contains(t.taskId())) {
        out.add(t);
      }
    }
    return out;
  }

  public List<TaskDescription> runningOfStage(int stageId) {
    return running().stream().filter(t -> t.stageId() == stageId).toList();
  }

  /** Ends {@code task} successfully: a map output on its executor, or the partition index as result. */
  public void succeed(TaskDescription task) {
    succeed(task, Map.of());
  }

  public void succeed(TaskDescription task, Map<Long, Long> accumulatorUpdates) {
    String exec = backend.launchedOn.get(task.taskId());
    Object value = task.shuffleMapTask()
        ? MapStatus.of(new MapOutputLocation(exec, hosts.get(exec), 7000), new long[] {1, 1, 1}, 2000, 1L << 20)
        : task.partitionIndex();
    end(task, new TaskOutcome.Success(java.serialize(value), new TaskMetrics(), accumulatorUpdates, List.of()));
  }

  /** Succeeds every running task, repeatedly, until none is left (the whole job runs). */
  public void succeedAll() {
    List<TaskDescription> now;
    while (!(now = running()).isEmpty()) {
      now.forEach(this::succeed);
    }
  }

  public void fail(TaskDescription task, Exception error) {
    end(task, new TaskOutcome.Failure(Executor.failureReason(error), new TaskMetrics()));
  }

  /** Ends {@code task} with exactly {@code reason}, as an executor would report it. */
  public void failWith(TaskDescription task, TaskEndReason reason) {
    end(task, new TaskOutcome.Failure(reason, new TaskMetrics()));
  }

  public void failFetch(TaskDescription task, int shuffleId, int mapIndex, String fromExecutor) {
    end(task, new TaskOutcome.Failure(new TaskEndReason.FetchFailed(fromExecutor, shuffleId, mapIndex,
        task.partitionIndex(), "test"), new TaskMetrics()));
  }

  private void end(TaskDescription task, TaskOutcome outcome) {
    ended.add(task.taskId());
    events.post(new SchedulerEvent.TaskEnded(task.taskId(), outcome));
  }

  @Override
  public void close() {
    bus.stop();
  }
}
