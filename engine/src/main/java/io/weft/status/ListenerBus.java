package io.weft.status;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@link ListenerEvent}s to listeners on one daemon thread, so the scheduler's thread
 * never waits for a listener. {@link #post} is safe from any thread.
 */
public final class ListenerBus {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerBus.class);
  private static final ListenerEvent STOP = new ListenerEvent.ExecutorRemoved("", "stop", 0);

  private final List<WeftListener> listeners = new CopyOnWriteArrayList<>();
  private final BlockingQueue<ListenerEvent> queue = new LinkedBlockingQueue<>();
  private final Thread thread = new Thread(this::run, "weft-listener-bus");
  private volatile boolean idle = true;

  public ListenerBus() {
    thread.setDaemon(true);
    thread.start();
  }

  public void addListener(WeftListener listener) {
    listeners.add(listener);
  }

  public void removeListener(WeftListener listener) {
    listeners.remove(listener);
  }

  public void post(ListenerEvent event) {
    idle = false;
    queue.add(event);
  }

  /** Waits until every event posted so far was delivered (tests, shutdown). */
  public boolean waitUntilEmpty(long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!(queue.isEmpty() && idle)) {
      if (System.currentTimeMillis() > deadline) {
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

  public void stop() {
    queue.add(STOP);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (true) {
      ListenerEvent event;
      try {
        event = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (event == STOP) {
        return;
      }
      for (WeftListener l : listeners) {
        try {
          l.onEvent(event);
        } catch (RuntimeException e) {
          LOG.warn("listener {} failed on {}", l, event, e);
        }
      }
      if (queue.isEmpty()) {
        idle = true;
      }
    }
  }
}
