package io.weft.bench;

import io.weft.WeftConf;
import io.weft.WeftContext;
import java.util.List;

/**
 * The near-empty job of {@code bin/weft bench --yarn}: one task that counts one element, so that
 * what is timed is everything around a job (client, submission, ApplicationMaster, executors),
 * not the job. Prints {@code NearEmpty: counted 1}.
 */
public final class NearEmpty {
  private NearEmpty() {}

  public static void main(String[] args) {
    try (WeftContext wc = WeftContext.create(new WeftConf())) {
      long n = wc.parallelize(List.of(1), 1).count();
      System.out.println("NearEmpty: counted " + n);
    }
  }
}
