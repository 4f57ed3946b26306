package io.weft.it.apps;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.delegation.AbstractDelegationTokenIdentifier;

/**
 * A Weft job on a Kerberized YARN cluster with short delegation-token lifetimes that counts
 * words of {@code args[0]} into {@code args[1]} only after the HDFS delegation token it was
 * submitted with has passed its maximum lifetime: the driver reads that original token from the
 * AM container's credentials file ({@code HADOOP_TOKEN_FILE_LOCATION}); a process has outlived it
 * once its user holds an HDFS token issued after the original's max date (the AM's TokenRefresher
 * puts it there). The executors start first, with the tokens of the moment, and every one of 8 tasks
 * waits until its executor has received two fresh sets since its tasks first looked (only the
 * refresher's pushes bring them) and holds such a token; then the driver waits for one too. Only then does the job list, read and write HDFS. Prints
 * {@code OutlivesItsTokens: original max date M, fresh token issued I} for the test.
 */
public final class OutlivesItsTokens {
  private static final String HDFS_TOKEN = "HDFS_DELEGATION_TOKEN";
  private static final long WAIT_LIMIT_MS = 5 * 60_000;

  private OutlivesItsTokens() {}

  public static void main(String[] args) throws Exception {
    long originalMaxDate = originalMaxDate();
    try (WeftContext wc = WeftContext.create(new WeftConf())) {
      // the executors start now, with the tokens of the moment: newer ones can only reach them
      // as the refresher's pushes
      List<Long> executorIssues = wc.parallelize(List.of(0, 1, 2, 3, 4, 5, 6, 7), 8)
          .map(i -> awaitTwoPushesAndTokenIssuedAfter(originalMaxDate))
          .collect();
      long freshIssue = awaitTokenIssuedAfter(originalMaxDate);
      System.out.println("OutlivesItsTokens: original max date " + originalMaxDate + ", fresh token issued "
          + freshIssue);
      System.out.println("OutlivesItsTokens: tasks saw fresh tokens issued " + executorIssues);
      wc.textFile(args[0])
          .flatMap(line -> Arrays.asList(line.split("\\s+")).iterator())
          .filter(word -> !word.isEmpty())
          .mapToPair(word -> Pair.of(word, 1L))
          .reduceByKey(Long::sum)
          .saveAsTextFile(args[1]);
    }
  }

  /** The max date of the HDFS token the client submitted (the AM container's own credentials). */
  private static long originalMaxDate() throws IOException {
    String file = System.getenv(UserGroupInformation.HADOOP_TOKEN_FILE_LOCATION);
    Credentials submitted = Credentials.readTokenStorageFile(new java.io.File(file),
        new org.apache.hadoop.conf.Configuration());
    for (Token<?> t : submitted.getAllTokens()) {
      if (t.getKind().toString().equals(HDFS_TOKEN)) {
        return ((AbstractDelegationTokenIdentifier) t.decodeIdentifier()).getMaxDate();
      }
    }
    throw new IllegalStateException("no " + HDFS_TOKEN + " in " + file);
  }

  /** Issue dates of the HDFS tokens this executor's tasks have seen; the first is the one they first saw. */
  private static final java.util.concurrent.ConcurrentSkipListSet<Long> SEEN =
      new java.util.concurrent.ConcurrentSkipListSet<>();

  /**
   * In an executor: waits (bounded) until its tasks have seen two HDFS tokens newer than the first
   * one they saw (so at least two pushes reached this running executor, whenever it started) and
   * the newest was issued after {@code epochMs}; returns that one's issue date. Later tasks on the
   * same executor find this done already.
   */
  static long awaitTwoPushesAndTokenIssuedAfter(long epochMs) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT_LIMIT_MS;
    while (true) {
      long newest = newestHdfsTokenIssue();
      if (newest > 0) {
        SEEN.add(newest);
      }
      if (SEEN.size() >= 3 && SEEN.last() > epochMs) {
        return SEEN.last();
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("in " + WAIT_LIMIT_MS + " ms this executor saw HDFS tokens issued at " + SEEN
            + ": not two pushes with one issued after " + epochMs);
      }
      Thread.sleep(100);
    }
  }

  private static long newestHdfsTokenIssue() throws IOException {
    long newest = 0;
    for (Token<?> t : UserGroupInformation.getCurrentUser().getCredentials().getAllTokens()) {
      if (t.getKind().toString().equals(HDFS_TOKEN)) {
        newest = Math.max(newest, ((AbstractDelegationTokenIdentifier) t.decodeIdentifier()).getIssueDate());
      }
    }
    return newest;
  }

  /**
   * Polls this process's user for an HDFS token issued after {@code epochMs} (one the refresher
   * obtained then), bounded; returns its issue date. The event is the credentials' arrival.
   */
  static long awaitTokenIssuedAfter(long epochMs) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT_LIMIT_MS;
    while (true) {
      for (Token<?> t : UserGroupInformation.getCurrentUser().getCredentials().getAllTokens()) {
        if (t.getKind().toString().equals(HDFS_TOKEN)
            && ((AbstractDelegationTokenIdentifier) t.decodeIdentifier()).getIssueDate() > epochMs) {
          return ((AbstractDelegationTokenIdentifier) t.decodeIdentifier()).getIssueDate();
        }
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("no HDFS delegation token issued after " + epochMs + " arrived in "
            + WAIT_LIMIT_MS + " ms");
      }
      Thread.sleep(100);
    }
  }
}
