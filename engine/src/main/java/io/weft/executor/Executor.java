package io.weft.executor;

import io.weft.TaskContext;
import io.weft.UnsupportedKeyException;
import io.weft.io.commit.CommitDeniedException;
import io.weft.plan.Partition;
import io.weft.scheduler.MapStatus;
import io.weft.scheduler.Task;
import io.weft.scheduler.TaskDescription;
import io.weft.scheduler.TaskEndReason;
import io.weft.scheduler.TaskOutcome;
import io.weft.serialization.JavaSerializer;
import io.weft.serialization.SerializerInstance;
import io.weft.shuffle.FetchFailedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks: a fixed pool of task threads, one per slot. Each task is deserialized, run with
 * its {@link TaskContext} bound to the thread, and reported through {@code statusSink} exactly
 * once with its outcome: the serialized result, or why it failed (a user exception, a fetch
 * failure, a kill).
 *
 * <p>The same class runs inside the driver's JVM in local mode and in an executor container on
 * YARN; only the {@link ExecutorEnv}, the status sink and what a task's
 * {@link VirtualMachineError} does ({@link FatalTaskErrors}) differ.
 *
 * <p>Threading: {@link #launch} and {@link #kill} may be called from any thread; tasks run on the
 * pool; {@code statusSink} is called from task threads.
 */
public final class Executor {
  private static final Logger LOG = LoggerFactory.getLogger(Executor.class);

  private final ExecutorEnv env;
  private final ClassLoader userClassLoader;
  private final BiConsumer<Long, TaskOutcome> statusSink;
  private final ExecutorService pool;
  private final FatalTaskErrors.Placement placement;
  private final Consumer<VirtualMachineError> afterVmError;
  private final Map<Long, Future<?>> runningTasks = new ConcurrentHashMap<>();
  /**
   * Tasks launched whose thread has not started them yet. Whoever removes a task from here owns
   * its start: a task thread runs it, or {@link #kill} reports it killed. So a task killed while
   * queued still reports its end exactly once (a failed job waits for its killed tasks).
   */
  private final java.util.Set<Long> queued = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicLong launched = new java.util.concurrent.atomic.AtomicLong();

  /** An executor in the driver's JVM (local mode): a task's VirtualMachineError is not retried. */
  public Executor(ExecutorEnv env, int slots, ClassLoader userClassLoader,
      BiConsumer<Long, TaskOutcome> statusSink) {
    this(env, slots, userClassLoader, statusSink, FatalTaskErrors.Placement.driverJvm(), e -> { });
  }

  /**
   * @param placement where this executor runs, for the message of a task's VirtualMachineError
   * @param afterVmError called on the task thread once a task's VirtualMachineError was handed to
   *     {@code statusSink}; an executor in its own JVM ends the JVM there
   */
  public Executor(ExecutorEnv env, int slots, ClassLoader userClassLoader,
      BiConsumer<Long, TaskOutcome> statusSink, FatalTaskErrors.Placement placement,
      Consumer<VirtualMachineError> afterVmError) {
    this.placement = placement;
    this.afterVmError = afterVmError;
    this.env = env;
    this.userClassLoader = userClassLoader;
    this.statusSink = statusSink;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(slots, r -> {
      Thread t = new Thread(r, "task-" + env.executorId() + "-" + n.incrementAndGet());
      t.setDaemon(true);
      t.setContextClassLoader(userClassLoader);
      return t;
    });
  }

  public ExecutorEnv env() {
    return env;
  }

  /** Tasks launched on this executor so far. */
  public long launchedTasks() {
    return launched.get();
  }

  public void launch(TaskDescription task) {
    launched.incrementAndGet();
    // registered before it can finish, so a kill never misses it
    synchronized (runningTasks) {
      queued.add(task.taskId());
      runningTasks.put(task.taskId(), pool.submit(() -> {
        if (queued.remove(task.taskId())) {
          run(task);
        }
      }));
    }
  }

  /**
   * Kills a task: interrupts it if it runs; if it still waits for a free thread, it never starts
   * and is reported {@link TaskEndReason.TaskKilled} here, on the caller's thread.
   */
  public void kill(long taskId) {
    Future<?> f;
    boolean neverStarted;
    synchronized (runningTasks) {
      f = runningTasks.get(taskId);
      neverStarted = queued.remove(taskId);
      if (neverStarted) {
        runningTasks.remove(taskId);
      }
    }
    if (neverStarted) {
      if (f != null) {
        f.cancel(false);
      }
      statusSink.accept(taskId, new TaskOutcome.Failure(
          new TaskEndReason.TaskKilled("killed before it started"), new TaskMetrics()));
    } else if (f != null) {
      f.cancel(true);
    }
  }

  public int runningTaskCount() {
    return runningTasks.size();
  }

  /** Interrupts running tasks and stops the pool; waits briefly for the threads to end. */
  public void stop() {
    stop(10_000);
  }

  /**
   * Interrupts running tasks and stops the pool; waits up to {@code waitMs} for the task threads
   * to end and returns whether they did.
   */
  public boolean stop(long waitMs) {
    pool.shutdownNow();
    try {
      return pool.awaitTermination(waitMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void run(TaskDescription desc) {
    long start = System.currentTimeMillis();
    long gcStart = GcTime.totalMs();
    TaskContext ctx = new TaskContext(desc.stageId(), desc.stageAttempt(), desc.partitionIndex(),
        desc.attemptNumber(), desc.taskId(), env, desc.shuffleBlocks());
    TaskContext.set(ctx);
    Thread.currentThread().setContextClassLoader(userClassLoader);
    TaskOutcome outcome;
    VirtualMachineError vmError = null;
    try {
      outcome = runTask(desc, ctx, start);
    } catch (Throwable t) {
      vmError = FatalTaskErrors.vmError(t);
      TaskEndReason reason = vmError != null ? FatalTaskErrors.vmErrorReason(vmError, placement) : failureReason(t);
      outcome = new TaskOutcome.Failure(reason, ctx.metrics());
      if (!(t instanceof FetchFailedException)) {
        LOG.warn("{} failed: {}", desc, reason.describe());
      }
    } finally {
      try {
        ctx.markCompleted();
      } catch (RuntimeException e) {
        LOG.warn("clean-up of {} failed", desc, e);
      }
      TaskContext.set(null);
      synchronized (runningTasks) {
        runningTasks.remove(desc.taskId());
      }
      // clear a kill's interrupt so it cannot hit the next task on this thread
      Thread.interrupted();
    }
    ctx.metrics().setRunTimeMs(System.currentTimeMillis() - start);
    ctx.metrics().setGcTimeMs(GcTime.totalMs() - gcStart);
    statusSink.accept(desc.taskId(), outcome);
    if (vmError != null) {
      afterVmError.accept(vmError);
    }
  }

  private TaskOutcome runTask(TaskDescription desc, TaskContext ctx, long start) throws Exception {
    SerializerInstance ser = env.closureSerializer().newInstance();
    Partition partition = ser.deserialize(desc.partition());
    Object binary = ser.deserialize(desc.taskBinary());
    Object value;
    if (binary instanceof Task.ShuffleMapBinary map) {
      MapStatus status = map.run(partition, ctx);
      value = status;
    } else {
      value = ((Task.ResultBinary) binary).run(partition, ctx);
    }
    if (Thread.interrupted()) {
      return new TaskOutcome.Failure(new TaskEndReason.TaskKilled("interrupted"), ctx.metrics());
    }
    byte[] bytes = ser.serialize(value);
    ctx.metrics().setResultBytes(bytes.length);
    ctx.metrics().setRunTimeMs(System.currentTimeMillis() - start);
    return new TaskOutcome.Success(bytes, ctx.metrics(), ctx.accumulatorUpdates(), ctx.cachedBlocks());
  }

  /**
   * Why a task failed, keeping the user's exception (serialized if it can be) and its stack trace.
   * A class missing on the executor is reported by name and as not retryable.
   */
  public static TaskEndReason failureReason(Throwable t) {
    FetchFailedException ff = findCause(t, FetchFailedException.class);
    if (ff != null) {
      return new TaskEndReason.FetchFailed(ff.executorId(), ff.shuffleId(), ff.mapIndex(),
          ff.reduceId(), ff.getMessage());
    }
    if (t instanceof InterruptedException || findCause(t, InterruptedException.class) != null) {
      return new TaskEndReason.TaskKilled("interrupted");
    }
    CommitDeniedException denied = findCause(t, CommitDeniedException.class);
    if (denied != null) {
      // another attempt of this partition holds the commit: not this task's fault
      return new TaskEndReason.TaskKilled(denied.getMessage());
    }
    TaskEndReason missingClass = FatalTaskErrors.missingClassReason(t);
    if (missingClass != null) {
      return missingClass;
    }
    Throwable user = unwrap(t);
    StringWriter trace = new StringWriter();
    user.printStackTrace(new PrintWriter(trace));
    byte[] serialized;
    try {
      serialized = JavaSerializer.instance().serialize(user);
    } catch (RuntimeException e) {
      serialized = null;
    }
    // a key the shuffle refuses is refused the same way on every attempt: no retry can fix it
    TaskEndReason.Retry retry = findCause(t, UnsupportedKeyException.class) != null
        ? TaskEndReason.Retry.NEVER : TaskEndReason.Retry.ANYWHERE;
    return new TaskEndReason.ExceptionFailure(user.getClass().getName(), user.getMessage(),
        trace.toString(), serialized, retry);
  }

  /** User functions' checked exceptions arrive wrapped by our iterators; report the original. */
  private static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    while (cur instanceof UserFunctionException && cur.getCause() != null) {
      cur = cur.getCause();
    }
    return cur;
  }

  private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
