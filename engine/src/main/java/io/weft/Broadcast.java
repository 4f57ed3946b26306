package io.weft;

import java.io.Serializable;

/**
 * A read-only value shipped to each executor once, made with {@link WeftContext#broadcast}.
 * Closures that capture it serialize only its id; the first task on an executor that calls
 * {@link #value()} fetches the value from the driver, and later tasks there reuse that copy.
 */
public final class Broadcast<T> implements Serializable {
  private final long id;
  private transient T value;

  Broadcast(long id, T value) {
    this.id = id;
    this.value = value;
  }

  public long id() {
    return id;
  }

  @SuppressWarnings("unchecked")
  public T value() {
    if (value == null) {
      TaskContext task = TaskContext.get();
      if (task == null) {
        throw new IllegalStateException("broadcast " + id + " read outside a task and not on its driver");
      }
      value = (T) task.env().broadcastValue(id);
    }
    return value;
  }

  @Override
  public String toString() {
    return "Broadcast(" + id + ")";
  }
}
