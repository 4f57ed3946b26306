package io.weft.driver;

import io.weft.executor.DriverEndpoint;
import io.weft.scheduler.OutputCommitCoordinator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The driver's answers to executors: commit permission (from the {@link OutputCommitCoordinator})
 * and broadcast values (kept serialized, so each is serialized once however many executors ask).
 *
 * <p>Thread-safe: called from task threads in local mode and from network threads on a cluster.
 */
public final class DriverServices implements DriverEndpoint {
  private final OutputCommitCoordinator commits;
  private final Map<Long, byte[]> broadcasts = new ConcurrentHashMap<>();

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
    if (bytes == null) {
      throw new IllegalStateException("broadcast " + id + " does not exist on the driver");
    }
    return bytes;
  }

  public void putBroadcast(long id, byte[] value) {
    broadcasts.put(id, value);
  }
}
