package io.weft;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A counter that tasks add to and the driver reads, made with
 * {@link WeftContext#longAccumulator(String)}. Each task attempt adds to its own copy; the driver
 * merges a copy only when its task succeeds, and only once per partition of a stage, so a failed
 * and retried task is counted once.
 */
public final class LongAccumulator implements Serializable {
  private final long id;
  private final String name;
  private transient AtomicLong value = new AtomicLong();

  LongAccumulator(long id, String name) {
    this.id = id;
    this.name = name;
  }

  public long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public void add(long delta) {
    value.addAndGet(delta);
  }

  /** On the driver, the merged total of successful tasks; in a task, this attempt's own increments. */
  public long value() {
    return value.get();
  }

  /** Driver: merges a successful task's increments. */
  void merge(long delta) {
    value.addAndGet(delta);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    value = new AtomicLong();
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.registerAccumulator(id, value);
    }
  }

  @Override
  public String toString() {
    return "LongAccumulator(" + name + " = " + value.get() + ")";
  }
}
