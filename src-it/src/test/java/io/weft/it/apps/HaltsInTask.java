package io.weft.it.apps;

import io.weft.WeftConf;
import io.weft.WeftContext;
import java.util.List;

/**
 * A Weft program whose every task ends its executor's JVM (as a native crash or a library's
 * {@code System.exit} would): each attempt kills the executor it runs on, so the job can only end
 * by failing. No arguments.
 */
public final class HaltsInTask {
  private HaltsInTask() {}

  public static void main(String[] args) {
    try (WeftContext wc = WeftContext.create(new WeftConf())) {
      wc.parallelize(List.of(1, 2), 2).map(x -> {
        Runtime.getRuntime().halt(3);
        return x;
      }).collect();
    }
  }
}
