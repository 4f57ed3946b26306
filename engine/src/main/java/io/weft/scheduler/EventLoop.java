package io.weft.scheduler;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single thread that takes events from a queue and hands them to one handler, in order. The
 * scheduler's state is touched only from this thread; {@link #checkInLoop()} makes that
 * contract executable. {@link #post} is safe from any thread and never blocks.
 *
 * <p>If the handler throws, the error is passed to {@code onError} and the loop goes on. (The DAG
 * scheduler catches its own errors: it fails every job and stops scheduling, since its state may
 * be half updated; see {@code DagScheduler.handle}.)
 */
public class EventLoop<E> implements EventSink<E> {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
  private static final Object STOP = new Object();

  private final String name;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final ScheduledExecutorService timer;
  private final Thread thread;
  private final java.util.concurrent.atomic.AtomicLong pending = new java.util.concurrent.atomic.AtomicLong();
  private volatile Consumer<E> handler;
  private volatile Consumer<Throwable> onError;

  public EventLoop(String name) {
    this.name = name;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name + "-timer");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts the thread; {@code handler} handles every event, {@code onError} whatever it throws. */
  public void start(Consumer<E> handler, Consumer<Throwable> onError) {
    this.handler = handler;
    this.onError = onError;
    thread.start();
  }

  @Override
  public void post(E event) {
    pending.incrementAndGet();
    queue.add(event);
  }

  /** Posts {@code event} after {@code delayMs} milliseconds. */
  @Override
  public void postLater(E event, long delayMs) {
    if (!timer.isShutdown()) {
      timer.schedule(() -> post(event), delayMs, TimeUnit.MILLISECONDS);
    }
  }

  /** Fails unless called on this loop's thread. */
  @Override
  public void checkInLoop() {
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException(
          "must run on " + name + " but runs on " + Thread.currentThread().getName());
    }
  }

  /** Waits until every event posted so far has been handled; false on time-out. */
  public boolean waitUntilEmpty(long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (pending.get() > 0) {
      if (System.currentTimeMillis() > deadline || !thread.isAlive()) {
        return false;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Handles the events already queued, then stops the thread and waits for it. */
  public void stop() {
    timer.shutdownNow();
    queue.add(STOP);
    if (Thread.currentThread() != thread) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void run() {
    while (true) {
      Object event;
      try {
        event = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (event == STOP) {
        return;
      }
      try {
        handler.accept((E) event);
      } catch (Throwable t) {
        LOG.error("{} failed to handle {}", name, event, t);
        try {
          onError.accept(t);
        } catch (Throwable t2) {
          LOG.error("{} error handler failed", name, t2);
        }
      } finally {
        pending.decrementAndGet();
      }
    }
  }
}
