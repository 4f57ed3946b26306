package io.weft;

import io.weft.plan.Node;
import io.weft.scheduler.ResultFn;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;

/** SKELETON (being written): the entry point of a Weft program. */
public final class WeftContext implements AutoCloseable {
  private final AtomicInteger nextNodeId = new AtomicInteger();

  public int newNodeId() {
    return nextNodeId.getAndIncrement();
  }

  /** The Hadoop configuration for driver-side file system access (listing, output checks). */
  public Configuration hadoopConfiguration() {
    throw new UnsupportedOperationException("skeleton");
  }

  /** Runs {@code fn} on every partition of {@code node} and returns the results in partition order. */
  public <T, U> List<U> runJob(Node<T> node, ResultFn<T, U> fn) {
    throw new UnsupportedOperationException("skeleton");
  }

  @Override
  public void close() {}
}
