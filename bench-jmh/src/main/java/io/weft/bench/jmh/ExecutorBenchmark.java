package io.weft.bench.jmh;

import java.io.IOException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The base of benchmarks that run tasks on a {@link ScratchExecutor}: a subclass's trial set-up
 * creates {@link #executor}; the trial's tear-down here deletes its directory (JMH runs inherited
 * {@code @TearDown} methods).
 */
@State(Scope.Thread)
public abstract class ExecutorBenchmark {
  /** Set by the subclass's {@code @Setup(Level.Trial)}. */
  protected ScratchExecutor executor;

  @TearDown(Level.Trial)
  public void deleteScratchExecutor() throws IOException {
    if (executor != null) {
      executor.close();
    }
  }
}
