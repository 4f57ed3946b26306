package io.weft;

import io.weft.driver.BlockRemovals;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * A read-only value shipped to each executor once, made with {@link WeftContext#broadcast}.
 * Closures that capture it serialize only its id; the first task on an executor that calls
 * {@link #value()} fetches the value from the driver, and later tasks there reuse that copy.
 *
 * <p>Lifetime: {@link #unpersist} drops the executors' copies (they fetch it again when next
 * used); {@link #destroy} drops it everywhere, after which any use (reading it on the driver, a
 * job whose closure captures it, a task that reads it) fails saying it was destroyed. A broadcast
 * the program no longer references is destroyed by the context cleaner.
 */
public final class Broadcast<T> implements Serializable {
  private final long id;
  private transient T value;
  /** Null inside a task: only the driver's instance can remove copies. */
  private final transient BlockRemovals removals;
  private transient volatile boolean destroyed;

  Broadcast(long id, T value, BlockRemovals removals) {
    this.id = id;
    this.value = value;
    this.removals = removals;
  }

  public long id() {
    return id;
  }

  @SuppressWarnings("unchecked")
  public T value() {
    checkNotDestroyed();
    if (value == null) {
      TaskContext task = TaskContext.get();
      if (task == null) {
        throw new IllegalStateException("broadcast " + id + " read outside a task and not on its driver");
      }
      value = (T) task.env().broadcastValue(id);
    }
    return value;
  }

  /** Drops the executors' copies without waiting; the value stays usable. */
  public void unpersist() {
    unpersist(false);
  }

  /** Drops the executors' copies; if {@code blocking}, returns once every executor confirmed. */
  public void unpersist(boolean blocking) {
    checkNotDestroyed();
    driverSide("unpersist").unpersistBroadcast(id, blocking);
  }

  /** Drops the value everywhere without waiting; later uses fail. */
  public void destroy() {
    destroy(false);
  }

  /**
   * Drops the value on the driver and on every executor; if {@code blocking}, returns once every
   * executor confirmed. Any later use fails with an {@link IllegalStateException} saying so.
   */
  public void destroy(boolean blocking) {
    checkNotDestroyed();
    BlockRemovals r = driverSide("destroy");
    destroyed = true;
    value = null;
    r.destroyBroadcast(id, blocking);
  }

  private BlockRemovals driverSide(String what) {
    if (removals == null) {
      throw new IllegalStateException("Broadcast(" + id + ")." + what + "() can only be called on the driver");
    }
    return removals;
  }

  private void checkNotDestroyed() {
    if (destroyed) {
      throw new IllegalStateException("Broadcast(" + id + ") was destroyed (Broadcast.destroy()) and cannot be used any more");
    }
  }

  /** A job whose closure captures a destroyed broadcast fails on the driver, before any task runs. */
  private void writeObject(ObjectOutputStream out) throws IOException {
    checkNotDestroyed();
    out.defaultWriteObject();
  }

  @Override
  public String toString() {
    return "Broadcast(" + id + ")";
  }
}
