package io.weft.status;

import io.weft.scheduler.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@link ListenerEvent}s to listeners on one daemon thread (an {@link EventLoop} of its
 * own), so the scheduler's thread never waits for a listener. {@link #post} is safe from any
 * thread; a listener that throws is logged and kept.
 */
public final class ListenerBus {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerBus.class);

  private final List<WeftListener> listeners = new CopyOnWriteArrayList<>();
  private final EventLoop<ListenerEvent> loop = new EventLoop<>("weft-listener-bus");

  public ListenerBus() {
    loop.start(this::deliver, t -> { });
  }

  public void addListener(WeftListener listener) {
    listeners.add(listener);
  }

  public void removeListener(WeftListener listener) {
    listeners.remove(listener);
  }

  public void post(ListenerEvent event) {
    loop.post(event);
  }

  /** Waits until every event posted so far was delivered (tests, shutdown). */
  public boolean waitUntilEmpty(long timeoutMs) {
    return loop.waitUntilEmpty(timeoutMs);
  }

  public void stop() {
    loop.stop();
  }

  private void deliver(ListenerEvent event) {
    for (WeftListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("listener {} failed on {}", l, event, e);
      }
    }
  }
}
