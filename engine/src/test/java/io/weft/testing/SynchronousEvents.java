package io.weft.testing;

import io.weft.scheduler.EventSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Handles scheduler events on the test's own thread, in order: an event posted while another is
 * being handled is queued and handled right after it. Delayed events wait for {@link #fireTimers}.
 */
public final class SynchronousEvents<E> implements EventSink<E> {
  private final ArrayDeque<E> queue = new ArrayDeque<>();
  private final List<E> delayed = new ArrayList<>();
  private Consumer<E> handler;
  private boolean draining;
  private Thread owner;

  public void setHandler(Consumer<E> handler) {
    this.handler = handler;
  }

  @Override
  public void post(E event) {
    queue.add(event);
    if (draining) {
      return;
    }
    draining = true;
    owner = Thread.currentThread();
    try {
      while (!queue.isEmpty()) {
        handler.accept(queue.poll());
      }
    } finally {
      draining = false;
    }
  }

  @Override
  public void postLater(E event, long delayMs) {
    delayed.add(event);
  }

  /** Posts every delayed event now. */
  public void fireTimers() {
    List<E> due = new ArrayList<>(delayed);
    delayed.clear();
    due.forEach(this::post);
  }

  @Override
  public void checkInLoop() {
    if (!draining || Thread.currentThread() != owner) {
      throw new IllegalStateException("scheduler state touched outside event handling");
    }
  }
}
