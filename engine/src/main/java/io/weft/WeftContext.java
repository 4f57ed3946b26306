package io.weft;

import java.util.concurrent.atomic.AtomicInteger;

/** SKELETON (being written): the entry point of a Weft program. */
public final class WeftContext implements AutoCloseable {
  private final AtomicInteger nextNodeId = new AtomicInteger();

  public int newNodeId() {
    return nextNodeId.getAndIncrement();
  }

  @Override
  public void close() {}
}
