package io.weft.scheduler;

import io.weft.serialization.JavaSerializer;
import io.weft.serialization.SerializerInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The caller's side of a running job. The scheduler thread stores each partition's serialized
 * result and completes the waiter; the caller's thread blocks in {@link #await} and deserializes
 * the results there, so a large collect never stalls the scheduler.
 */
public final class JobWaiter {
  private final int jobId;
  private final byte[][] results;
  private int finished;
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  public JobWaiter(int jobId, int tasks) {
    this.jobId = jobId;
    this.results = new byte[tasks][];
    if (tasks == 0) {
      done.complete(null);
    }
  }

  public int jobId() {
    return jobId;
  }

  /** Scheduler thread: output {@code index} (position in the job's partition list) finished. */
  void taskSucceeded(int index, byte[] result) {
    if (results[index] == null) {
      results[index] = result;
      if (++finished == results.length) {
        done.complete(null);
      }
    }
  }

  /** Scheduler thread: the job failed. */
  void jobFailed(Throwable cause) {
    done.completeExceptionally(cause);
  }

  public boolean isDone() {
    return done.isDone();
  }

  /** Blocks until the job ends; returns the results in partition order or throws its failure. */
  @SuppressWarnings("unchecked")
  public <U> List<U> await() {
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for job " + jobId, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause);
    }
    SerializerInstance ser = JavaSerializer.instance();
    List<U> out = new ArrayList<>(results.length);
    for (byte[] r : results) {
      out.add((U) ser.deserialize(r));
    }
    return out;
  }
}
