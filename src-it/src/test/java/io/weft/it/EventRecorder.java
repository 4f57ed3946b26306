package io.weft.it;

import io.weft.WeftContext;
import io.weft.status.ListenerEvent;
import io.weft.status.WeftListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps every listener event of a context, so a test can ask what the scheduler did: how many
 * attempts failed, whether any task ran, what the tasks' metrics say. Events arrive on the
 * listener bus's thread; {@link #events} first waits until the bus has delivered all of them.
 */
final class EventRecorder implements WeftListener {
  private final WeftContext context;
  private final List<ListenerEvent> events = new CopyOnWriteArrayList<>();

  private EventRecorder(WeftContext context) {
    this.context = context;
  }

  static EventRecorder attach(WeftContext context) {
    EventRecorder r = new EventRecorder(context);
    context.addListener(r);
    return r;
  }

  @Override
  public void onEvent(ListenerEvent event) {
    events.add(event);
  }

  /** Every event so far, after the bus delivered what was posted. */
  List<ListenerEvent> events() {
    if (!context.listenerBus().waitUntilEmpty(10_000)) {
      throw new AssertionError("listener bus still busy after 10 s");
    }
    return List.copyOf(events);
  }

  List<ListenerEvent.TaskEnded> taskEnds() {
    return events().stream().filter(ListenerEvent.TaskEnded.class::isInstance)
        .map(ListenerEvent.TaskEnded.class::cast).toList();
  }

  /** Whether any stage was submitted or any task ended: i.e. whether the job got to run at all. */
  boolean anyTaskScheduled() {
    return events().stream().anyMatch(e -> e instanceof ListenerEvent.StageSubmitted
        || e instanceof ListenerEvent.TaskEnded);
  }
}
