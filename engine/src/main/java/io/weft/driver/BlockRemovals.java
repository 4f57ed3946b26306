package io.weft.driver;

import io.weft.WeftException;
import io.weft.scheduler.SchedulerEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The driver's side of removing broadcast copies and cached blocks from the executors, for
 * {@code Broadcast.unpersist/destroy}, {@code Dataset.unpersist(blocking)} and the
 * {@link ContextCleaner}: the driver's own serialized broadcast goes at once (on destroy), the
 * executors' copies through the scheduler (which owns the backend), and a blocking call waits
 * for every executor's acknowledgement.
 *
 * <p>Threading: any thread. A blocking call waits at most {@code timeoutMs} (twice
 * {@code weft.network.timeout}, each executor's answer being bounded by one) and then fails
 * naming what it waited for.
 */
public final class BlockRemovals {
  private final DriverServices driver;
  private final Consumer<SchedulerEvent> post;
  private final long timeoutMs;

  public BlockRemovals(DriverServices driver, Consumer<SchedulerEvent> post, long timeoutMs) {
    this.driver = driver;
    this.post = post;
    this.timeoutMs = timeoutMs;
  }

  /** Removes the executors' copies of broadcast {@code id}; the driver keeps its value. */
  public void unpersistBroadcast(long id, boolean blocking) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    post.accept(new SchedulerEvent.BroadcastRemoved(id, done));
    if (blocking) {
      await(done, "executors to drop broadcast " + id);
    }
  }

  /**
   * Removes broadcast {@code id} everywhere: the driver answers later requests for it with an
   * error naming the destruction, and the executors drop their copies.
   */
  public void destroyBroadcast(long id, boolean blocking) {
    driver.destroyBroadcast(id);
    unpersistBroadcast(id, blocking);
  }

  /** Drops node {@code nodeId}'s cached partitions; if {@code blocking}, until all executors confirmed. */
  public void unpersistNode(int nodeId, boolean blocking) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    post.accept(new SchedulerEvent.NodeUnpersisted(nodeId, done));
    if (blocking) {
      await(done, "executors to drop the cached blocks of node " + nodeId);
    }
  }

  private void await(CompletableFuture<Void> done, String what) {
    try {
      done.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException("interrupted while waiting for " + what, e);
    } catch (ExecutionException e) {
      throw new WeftException("failed waiting for " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new WeftException("no confirmation after " + timeoutMs + " ms waiting for " + what
          + " (weft.network.timeout; is the context closed?)", e);
    }
  }
}
