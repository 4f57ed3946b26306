package io.weft.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A listener that joins late gets the application's start events, then the events after it joined. */
@Timeout(30)
class ListenerBusTest {
  private final ListenerBus bus = new ListenerBus();

  private static final ListenerEvent STARTED = new ListenerEvent.ApplicationStarted("app-1", "a", "alice", "yarn", 1);
  private static final ListenerEvent ENV = new ListenerEvent.EnvironmentUpdated(Map.of("Java", "17"), Map.of(), 1);
  private static final ListenerEvent EXEC1 = new ListenerEvent.ExecutorAdded("1", "h1", 2, 2);
  private static final ListenerEvent EXEC2 = new ListenerEvent.ExecutorAdded("2", "h2", 2, 2);
  private static final ListenerEvent JOB0 = new ListenerEvent.JobStarted(0, List.of(0), "job 0", 3);
  private static final ListenerEvent GONE1 = new ListenerEvent.ExecutorRemoved("1", "lost", 4);
  private static final ListenerEvent JOB1 = new ListenerEvent.JobStarted(1, List.of(1), "job 1", 5);

  private static final class Recorder implements WeftListener {
    final List<ListenerEvent> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(ListenerEvent event) {
      seen.add(event);
    }
  }

  @AfterEach
  void stop() {
    bus.stop();
  }

  @Test
  void aLateListenerGetsTheStartAndTheLiveExecutorsThenWhatFollows() {
    Recorder early = new Recorder();
    bus.addListener(early);
    for (ListenerEvent e : List.of(STARTED, ENV, EXEC1, EXEC2, JOB0, GONE1)) {
      bus.post(e);
    }
    assertTrue(bus.waitUntilEmpty(10_000));
    Recorder late = new Recorder();
    bus.addListener(late);
    bus.post(JOB1);
    assertTrue(bus.waitUntilEmpty(10_000));
    assertEquals(List.of(STARTED, ENV, EXEC1, EXEC2, JOB0, GONE1, JOB1), early.seen, "the early one: everything once");
    // executor 1 was removed before the late one joined; job 0 is over for it
    assertEquals(List.of(STARTED, ENV, EXEC2, JOB1), late.seen);
  }

  @Test
  void aListenerAddedBeforeTheStartIsNotGivenItTwice() {
    Recorder r = new Recorder();
    bus.addListener(r);
    bus.post(STARTED);
    bus.post(EXEC1);
    assertTrue(bus.waitUntilEmpty(10_000));
    assertEquals(List.of(STARTED, EXEC1), r.seen);
  }

  @Test
  void aListenerRemovedRightAfterItWasAddedGetsNothingPostedAfterTheRemoval() {
    bus.post(STARTED);
    Recorder r = new Recorder();
    bus.addListener(r);
    bus.removeListener(r);
    bus.post(JOB0);
    assertTrue(bus.waitUntilEmpty(10_000));
    // the bus thread may have joined it (replaying the start) before the removal, or not at all
    assertTrue(r.seen.equals(List.of()) || r.seen.equals(List.of(STARTED)), r.seen.toString());
  }
}
