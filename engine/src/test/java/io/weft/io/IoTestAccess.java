package io.weft.io;

import io.weft.WeftContext;
import io.weft.function.Fn;
import io.weft.plan.Node;
import io.weft.testing.TestingJobRunner;
import org.apache.hadoop.conf.Configuration;

/**
 * Opens the package-private test seams of {@code io.weft.io} to tests in other packages (the
 * integration tests in src-it), until {@code WeftContext} has a Hadoop configuration and a
 * scheduler of its own.
 */
public final class IoTestAccess {
  private IoTestAccess() {}

  /** A text source listed with {@code driverConf} instead of the context's configuration. */
  public static TextFileNode textFile(WeftContext ctx, String path, int minPartitions, Configuration driverConf) {
    return new TextFileNode(ctx, path, minPartitions, driverConf);
  }

  /** {@code saveAsTextFile} with jobs run by {@code runner} on the calling thread. */
  public static <T> void saveAsTextFile(TestingJobRunner runner, Configuration driverConf, Node<T> node,
      String path, Fn<T, String> format) {
    TextOutput.save(runner::runJob, driverConf, node, path, format);
  }
}
