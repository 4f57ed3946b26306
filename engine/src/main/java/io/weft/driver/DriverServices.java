package io.weft.driver;

import io.weft.executor.DriverEndpoint;
import io.weft.scheduler.OutputCommitCoordinator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The driver's answers to executors: commit permission (from the {@link OutputCommitCoordinator})
 * and broadcast values (kept serialized, so each is serialized once however many executors ask;
 * dropped when the broadcast is destroyed or collected).
 *
 * <p>Thread-safe: called from task threads in local mode and from network threads on a cluster.
 */
public final class DriverServices implements DriverEndpoint {
  private final OutputCommitCoordinator commits;
  private final Map<Long, byte[]> broadcasts = new ConcurrentHashMap<>();
  /** Destroyed broadcasts, so a task still asking for one learns why it is gone. */
  private final java.util.Set<Long> destroyed = ConcurrentHashMap.newKeySet();

  public DriverServices(OutputCommitCoordinator commits) {
    this.commits = commits;
  }

  @Override
  public boolean canCommit(int stageId, int stageAttempt, int partition, int attemptNumber) {
    return commits.canCommit(stageId, stageAttempt, partition, attemptNumber);
  }

  @Override
  public byte[] fetchBroadcast(long id) {
    byte[] bytes = broadcasts.get(id);
    if (bytes == null && destroyed.contains(id)) {
      throw new IllegalStateException("Broadcast(" + id + ") was destroyed (Broadcast.destroy() or garbage "
          + "collected on the driver) and cannot be used any more");
    }
    if (bytes == null) {
      throw new IllegalStateException("broadcast " + id + " does not exist on the driver");
    }
    return bytes;
  }

  public void putBroadcast(long id, byte[] value) {
    broadcasts.put(id, value);
  }

  /** Drops the driver's serialized copy; later requests fail saying it was destroyed. */
  public void destroyBroadcast(long id) {
    destroyed.add(id);
    broadcasts.remove(id);
  }

  /** Whether the driver still holds broadcast {@code id} (tests). */
  public boolean hasBroadcast(long id) {
    return broadcasts.containsKey(id);
  }
}
