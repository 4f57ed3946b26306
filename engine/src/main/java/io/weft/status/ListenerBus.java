package io.weft.status;

import io.weft.scheduler.EventLoop;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@link ListenerEvent}s to listeners on one daemon thread (an {@link EventLoop} of its
 * own), so the scheduler's thread never waits for a listener. {@link #post} is safe from any
 * thread; a listener that throws is logged and kept.
 *
 * <p>A listener added after the application started (a web UI store, a user's listener) would
 * have missed what describes the application: so it first gets the last
 * {@link ListenerEvent.ApplicationStarted}, {@link ListenerEvent.EnvironmentUpdated} and an
 * {@link ListenerEvent.ExecutorAdded} for each executor not removed since, then every later event.
 * (Spark only buffers events until its bus starts, so listeners registered before it see them;
 * one added later misses them.) Joining happens on the bus thread, in order with the events, so
 * nothing is delivered twice or skipped. Jobs and tasks already over are not replayed.
 */
public final class ListenerBus {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerBus.class);

  private final List<WeftListener> listeners = new CopyOnWriteArrayList<>();
  /** Added, not yet joined on the bus thread; removing before the join cancels it. */
  private final Set<WeftListener> joining = ConcurrentHashMap.newKeySet();
  /** Makes a join (replay, then add) and a removal atomic with respect to each other. */
  private final Object joinLock = new Object();
  private final EventLoop<Object> loop = new EventLoop<>("weft-listener-bus");
  // the application's description so far, for listeners that join late (bus thread only)
  private ListenerEvent.ApplicationStarted started;
  private ListenerEvent.EnvironmentUpdated environment;
  private final Map<String, ListenerEvent.ExecutorAdded> executors = new LinkedHashMap<>();

  /** A listener to add on the bus thread, after the events posted before it. */
  private record Join(WeftListener listener) {}

  public ListenerBus() {
    loop.start(this::deliver, t -> { });
  }

  /**
   * Adds {@code listener}: it gets the application's start events (see the class doc), then every
   * event posted after this call.
   */
  public void addListener(WeftListener listener) {
    joining.add(listener);
    loop.post(new Join(listener));
  }

  public void removeListener(WeftListener listener) {
    // under the join lock: a removal racing a join on the bus thread must not be undone by it
    synchronized (joinLock) {
      joining.remove(listener);
      listeners.remove(listener);
    }
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

  private void deliver(Object item) {
    if (item instanceof Join j) {
      synchronized (joinLock) {
        if (joining.remove(j.listener())) {
          if (started != null) {
            deliverTo(j.listener(), started);
          }
          if (environment != null) {
            deliverTo(j.listener(), environment);
          }
          executors.values().forEach(e -> deliverTo(j.listener(), e));
          listeners.add(j.listener());
        }
      }
      return;
    }
    ListenerEvent event = (ListenerEvent) item;
    remember(event);
    for (WeftListener l : listeners) {
      deliverTo(l, event);
    }
  }

  private void remember(ListenerEvent event) {
    if (event instanceof ListenerEvent.ApplicationStarted a) {
      started = a;
    } else if (event instanceof ListenerEvent.EnvironmentUpdated env) {
      environment = env;
    } else if (event instanceof ListenerEvent.ExecutorAdded a) {
      executors.put(a.executorId(), a);
    } else if (event instanceof ListenerEvent.ExecutorRemoved r) {
      executors.remove(r.executorId());
    }
  }

  private static void deliverTo(WeftListener l, ListenerEvent event) {
    try {
      l.onEvent(event);
    } catch (RuntimeException e) {
      LOG.warn("listener {} failed on {}", l, event, e);
    }
  }
}
