package io.weft.status;

import io.weft.scheduler.SchedulerEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Read-only numbers about what the driver's scheduler holds, for a program that watches a long
 * run stay steady (after Spark's {@code SparkStatusTracker}): {@code WeftContext.statusTracker()}.
 * Per-stage numbers (the task binary size of each stage attempt) come with the listener events
 * ({@link ListenerEvent.StageSubmitted#taskBinaryBytes()}).
 *
 * <p>Threading: thread-safe. The scheduler's state is owned by its event thread, so a query is an
 * event handled there in turn: it waits behind the events already queued and answers with the
 * state after them.
 */
public final class StatusTracker {
  /**
   * What the scheduler holds: the executors registered with it, the shuffles it knows and the map outputs registered for them
   * (their locations and block sizes, one per map task that wrote one). Both shrink when the
   * context cleaner removes a shuffle no dataset refers to any more.
   */
  public record SchedulerState(int executors, int shuffles, long mapOutputs) {}

  private final Consumer<SchedulerEvent> scheduler;
  private final long timeoutMs;

  /** Queries go to {@code scheduler}'s event loop; each waits at most {@code timeoutMs}. */
  public StatusTracker(Consumer<SchedulerEvent> scheduler, long timeoutMs) {
    this.scheduler = scheduler;
    this.timeoutMs = timeoutMs;
  }

  /**
   * The scheduler's state once the events queued before this call are handled.
   *
   * @throws IllegalStateException when the context is closed, the scheduler stopped after an
   *     internal error, or it does not answer within the time-out ({@code weft.network.timeout})
   */
  public SchedulerState schedulerState() {
    CompletableFuture<SchedulerState> result = new CompletableFuture<>();
    scheduler.accept(new SchedulerEvent.StateQueried(result));
    try {
      return result.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the scheduler's state", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the scheduler could not report its state: " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the scheduler did not report its state within " + timeoutMs
          + " ms (weft.network.timeout)", e);
    }
  }
}
