package io.weft.status;

/**
 * Receives scheduler events, in order, on the listener bus's own thread. A slow listener delays
 * only other listeners, never the scheduler; one that throws is logged and kept.
 */
@FunctionalInterface
public interface WeftListener {
  void onEvent(ListenerEvent event);
}
