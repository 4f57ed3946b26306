package io.weft.testing;

import io.weft.TaskContext;
import io.weft.executor.ExecutorEnv;
import io.weft.plan.Node;
import io.weft.plan.Partition;
import io.weft.scheduler.ResultFn;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a result job on the test's thread, one task per partition in order, the way the real
 * scheduler would minus the scheduling: each job is a new stage; the node, the partition and the function are first
 * serialized and deserialized (so a closure that captured something unserializable fails here
 * as it would on a cluster), the task context is bound to the thread, and completion listeners
 * run when the task ends.
 *
 * <p>Failure: the first failing task stops the job with an exception whose cause is the
 * task's, as {@code WeftContext.runJob} does. Not thread-safe.
 */
public final class TestingJobRunner {
  private final ExecutorEnv env;
  private int tasksRun;
  private int nextStageId;

  public TestingJobRunner(ExecutorEnv env) {
    this.env = env;
  }

  /** Number of tasks started so far. */
  public int tasksRun() {
    return tasksRun;
  }

  public <T, U> List<U> runJob(Node<T> node, ResultFn<T, U> fn) {
    Partition[] partitions = node.partitions();
    // A fresh stage per job, as the scheduler does: commit arbitration is per (stage, partition).
    int stageId = nextStageId++;
    List<U> results = new ArrayList<>();
    for (Partition partition : partitions) {
      tasksRun++;
      Node<T> taskNode = roundTrip(node);
      ResultFn<T, U> taskFn = roundTrip(fn);
      Partition taskPartition = roundTrip(partition);
      TaskContext task = TestingTasks.task(env, stageId, 0, partition.index(), 0);
      TaskContext.set(task);
      try {
        results.add(taskFn.apply(task, taskNode.iterator(taskPartition, task)));
      } catch (Exception e) {
        throw new IllegalStateException("Job failed: task " + partition.index() + " of " + node
            + " failed: " + e, e);
      } finally {
        task.markCompleted();
        TaskContext.set(null);
      }
    }
    return results;
  }

  @SuppressWarnings("unchecked")
  public static <X> X roundTrip(X value) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(value);
      }
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        return (X) in.readObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("not serializable: " + value, e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
