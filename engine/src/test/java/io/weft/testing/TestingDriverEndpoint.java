package io.weft.testing;

import io.weft.executor.DriverEndpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A driver endpoint for tests that run tasks without a driver: commit arbitration is
 * "first asker wins" per (stage, partition), like the real coordinator, and every question is
 * recorded so a test can assert who asked. Broadcasts are not supported.
 *
 * <p>Thread-safe (synchronized): tests may run attempts on several threads.
 */
public final class TestingDriverEndpoint implements DriverEndpoint {
  /** One {@code canCommit} question and its answer. */
  public record CommitRequest(int stageId, int stageAttempt, int partition, int attemptNumber, boolean allowed) {}

  private final Map<List<Integer>, Integer> winners = new HashMap<>();
  private final List<CommitRequest> requests = new ArrayList<>();

  @Override
  public synchronized boolean canCommit(int stageId, int stageAttempt, int partition, int attemptNumber) {
    Integer winner = winners.putIfAbsent(List.of(stageId, partition), attemptNumber);
    boolean allowed = winner == null || winner == attemptNumber;
    requests.add(new CommitRequest(stageId, stageAttempt, partition, attemptNumber, allowed));
    return allowed;
  }

  @Override
  public byte[] fetchBroadcast(long id) {
    throw new UnsupportedOperationException("TestingDriverEndpoint has no broadcasts (asked for " + id + ")");
  }

  /** Every commit question so far, in order. */
  public synchronized List<CommitRequest> commitRequests() {
    return Collections.unmodifiableList(new ArrayList<>(requests));
  }
}
