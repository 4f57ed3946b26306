package io.weft.yarn.am;

import io.weft.WeftConf;
import io.weft.cluster.ClusterBackend;
import io.weft.cluster.SchedulerCallbacks;
import io.weft.cluster.local.LocalBackend;
import io.weft.executor.DriverEndpoint;
import io.weft.scheduler.TaskDescription;
import io.weft.status.WeftListener;
import io.weft.yarn.YarnOptions;
import java.util.List;

/**
 * {@code weft.master=yarn} with {@code weft.yarn.inAm.mode=on}: the application's tasks run in the
 * ApplicationMaster's own JVM, in a {@link LocalBackend} with {@code weft.executor.cores} task
 * slots, so no executor container is ever asked for. Tasks still go through the same scheduler,
 * serialization, shuffle files and block store as on executors; only the transport is a method
 * call. The AM's status page and progress see the jobs as they would with executors.
 *
 * <p>Threading and lifecycle: those of {@link ClusterBackend}; every call is delegated.
 */
final class InAmBackend implements ClusterBackend {
  private final LocalBackend local;
  private final WeftListener status;

  InAmBackend(WeftConf conf, DriverEndpoint driver, WeftListener status) {
    this.local = new LocalBackend(conf, conf.get(YarnOptions.EXECUTOR_CORES), driver);
    this.status = status;
  }

  @Override
  public void start(SchedulerCallbacks callbacks) {
    local.start(callbacks);
  }

  @Override
  public void launchTask(String executorId, TaskDescription task) {
    local.launchTask(executorId, task);
  }

  @Override
  public void killTask(String executorId, long taskId, String reason) {
    local.killTask(executorId, taskId, reason);
  }

  @Override
  public void removeShuffle(int shuffleId) {
    local.removeShuffle(shuffleId);
  }

  @Override
  public void removeCachedNode(int nodeId) {
    local.removeCachedNode(nodeId);
  }

  @Override
  public java.util.concurrent.CompletableFuture<Void> removeBroadcast(long broadcastId) {
    return local.removeBroadcast(broadcastId);
  }

  @Override
  public List<WeftListener> listeners() {
    return List.of(status);
  }

  @Override
  public int defaultParallelism() {
    return local.defaultParallelism();
  }

  @Override
  public void stop() {
    local.stop();
  }
}
