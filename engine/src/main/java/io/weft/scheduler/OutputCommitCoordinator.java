package io.weft.scheduler;

import java.util.HashMap;
import java.util.Map;

/**
 * Decides which task attempt may commit each output partition: the first to ask. If the
 * authorized attempt then fails, the partition is open again. This is what keeps a duplicated or
 * retried task from committing the same part file twice.
 *
 * <p>Threading: called by task threads (through the driver endpoint) and by the scheduler thread
 * (failures, stage ends); the few small maps are guarded by this object's monitor.
 */
public final class OutputCommitCoordinator {
  private record Key(int stageId, int partition) {}

  private record Attempt(int stageAttempt, int attemptNumber) {}

  private final Map<Key, Attempt> authorized = new HashMap<>();

  public synchronized boolean canCommit(int stageId, int stageAttempt, int partition, int attemptNumber) {
    Attempt asking = new Attempt(stageAttempt, attemptNumber);
    Attempt winner = authorized.putIfAbsent(new Key(stageId, partition), asking);
    return winner == null || winner.equals(asking);
  }

  /** An attempt failed; if it held the commit permission, another attempt may now have it. */
  public synchronized void taskFailed(int stageId, int stageAttempt, int partition, int attemptNumber) {
    authorized.remove(new Key(stageId, partition), new Attempt(stageAttempt, attemptNumber));
  }

  /** The stage's job ended: forget its permissions. */
  public synchronized void stageEnded(int stageId) {
    authorized.keySet().removeIf(k -> k.stageId() == stageId);
  }
}
