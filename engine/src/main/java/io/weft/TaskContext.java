package io.weft;

import io.weft.executor.ExecutorEnv;
import io.weft.executor.TaskMetrics;
import io.weft.shuffle.ShuffleBlocks;
import io.weft.storage.BlockId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a running task knows about itself. User functions may call {@link #get()} to learn their
 * partition and attempt; the engine also hangs the executor's services ({@link #env()}) and the
 * task's metrics and clean-up hooks here.
 *
 * <p>Threading: one context per running task, bound to the task's thread; not thread-safe.
 */
public final class TaskContext {
  private static final ThreadLocal<TaskContext> CURRENT = new ThreadLocal<>();

  private final int stageId;
  private final int stageAttempt;
  private final int partitionId;
  private final int attemptNumber;
  private final long taskAttemptId;
  private final ExecutorEnv env;
  private final TaskMetrics metrics = new TaskMetrics();
  private final List<Runnable> completionListeners = new ArrayList<>();
  private final List<BlockId> cachedBlocks = new ArrayList<>();
  private final Map<Long, AtomicLong> accumulators = new HashMap<>();
  private final Map<Integer, ShuffleBlocks> shuffleBlocks;

  public TaskContext(int stageId, int stageAttempt, int partitionId, int attemptNumber,
      long taskAttemptId, ExecutorEnv env, Map<Integer, ShuffleBlocks> shuffleBlocks) {
    this.shuffleBlocks = shuffleBlocks;
    this.stageId = stageId;
    this.stageAttempt = stageAttempt;
    this.partitionId = partitionId;
    this.attemptNumber = attemptNumber;
    this.taskAttemptId = taskAttemptId;
    this.env = env;
  }

  /** The context of the task running on this thread, or null outside a task. */
  public static TaskContext get() {
    return CURRENT.get();
  }

  /** Binds {@code ctx} to this thread (null unbinds). Engine use only. */
  public static void set(TaskContext ctx) {
    if (ctx == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(ctx);
    }
  }

  public int stageId() {
    return stageId;
  }

  public int stageAttemptNumber() {
    return stageAttempt;
  }

  public int partitionId() {
    return partitionId;
  }

  /** 0 for the first attempt of this task, 1 for its first retry, and so on. */
  public int attemptNumber() {
    return attemptNumber;
  }

  /** Unique among all task attempts of the application. */
  public long taskAttemptId() {
    return taskAttemptId;
  }

  /** The executor's services. Engine use only. */
  public ExecutorEnv env() {
    return env;
  }

  /**
   * The non-empty blocks of shuffle {@code shuffleId} this task reads, with where each is: the
   * driver sends them with the task for every shuffle the task's stage reads. Engine use only.
   */
  public ShuffleBlocks shuffleBlocks(int shuffleId) {
    ShuffleBlocks blocks = shuffleBlocks.get(shuffleId);
    if (blocks == null) {
      throw new IllegalStateException("task of stage " + stageId + " got no map outputs of shuffle " + shuffleId);
    }
    return blocks;
  }

  /** Notes that this task stored {@code block} in its executor's block store. */
  public void recordCachedBlock(BlockId block) {
    cachedBlocks.add(block);
  }

  /** Blocks this task cached; the driver tracks where cached partitions are. */
  public List<BlockId> cachedBlocks() {
    return cachedBlocks;
  }

  /** Registers a task-side accumulator copy (done when a closure holding it is deserialized). */
  public void registerAccumulator(long id, AtomicLong value) {
    accumulators.put(id, value);
  }

  /** This attempt's accumulator increments, by accumulator id. */
  public Map<Long, Long> accumulatorUpdates() {
    Map<Long, Long> updates = new HashMap<>();
    accumulators.forEach((id, v) -> updates.put(id, v.get()));
    return updates;
  }

  public TaskMetrics metrics() {
    return metrics;
  }

  /** Runs {@code listener} when the task ends, successfully or not (last added runs first). */
  public void addCompletionListener(Runnable listener) {
    completionListeners.add(listener);
  }

  /** Runs the completion listeners; their failures are collected, not thrown one by one. */
  public void markCompleted() {
    RuntimeException first = null;
    for (int i = completionListeners.size() - 1; i >= 0; i--) {
      try {
        completionListeners.get(i).run();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    completionListeners.clear();
    if (env != null) {
      // a consumer that did not give its memory back: freed (and logged) so the pool does not shrink
      env.memory().releaseAllExecution(taskAttemptId);
      env.memory().releaseAllUnroll(taskAttemptId);
    }
    if (first != null) {
      throw first;
    }
  }
}
