package io.weft.scheduler;

/**
 * Where the scheduler posts events to itself, and the guard of its one-thread contract.
 * {@link EventLoop} is the real one; scheduler tests use a synchronous sink that handles events
 * on the test thread.
 */
public interface EventSink<E> {
  void post(E event);

  void postLater(E event, long delayMs);

  /** Fails unless the caller is the thread that owns the scheduler's state. */
  void checkInLoop();
}
