package io.weft.yarn;

import io.weft.WeftConf;

/**
 * The container sizes an application asks YARN for, in MiB and vcores, derived from
 * {@link YarnOptions}: a container is its JVM's heap ({@code -Xmx}) plus an overhead. The client
 * validates and requests the ApplicationMaster's size; the YARN backend requests executors'.
 *
 * <p>With {@code weft.yarn.inAm.mode=on} the tasks run in the ApplicationMaster's JVM, so its
 * heap is the larger of {@code weft.am.memory} and {@code weft.executor.memory}, and its cores the
 * larger of the two core settings.
 *
 * <p>Example: {@code weft.executor.memory=2g} without an overhead setting gives a 2048 MiB heap
 * plus max(384, 204) = 384 MiB, a 2432 MiB container; {@code 8g} gives 8192 + 819 = 9011 MiB.
 */
public record ContainerSizes(
    long amHeapMb, long amOverheadMb, int amCores,
    long executorHeapMb, long executorOverheadMb, int executorCores) {

  /** The sizes {@code conf} asks for (each setting parsed and checked by its entry). */
  public static ContainerSizes of(WeftConf conf) {
    long amHeapMb = YarnOptions.toMb(conf.get(YarnOptions.AM_MEMORY));
    int amCores = conf.get(YarnOptions.AM_CORES);
    if (YarnOptions.runsInAm(conf)) {
      // the tasks run in the AM's JVM: it gets what one executor would have had, at least
      amHeapMb = Math.max(amHeapMb, YarnOptions.toMb(conf.get(YarnOptions.EXECUTOR_MEMORY)));
      amCores = Math.max(amCores, conf.get(YarnOptions.EXECUTOR_CORES));
    }
    return new ContainerSizes(
        amHeapMb, YarnOptions.defaultOverheadMb(amHeapMb), amCores,
        YarnOptions.toMb(conf.get(YarnOptions.EXECUTOR_MEMORY)), YarnOptions.executorOverheadMb(conf),
        conf.get(YarnOptions.EXECUTOR_CORES));
  }

  /** The ApplicationMaster container's memory: heap + overhead. */
  public long amContainerMb() {
    return amHeapMb + amOverheadMb;
  }

  /** One executor container's memory: heap + overhead. */
  public long executorContainerMb() {
    return executorHeapMb + executorOverheadMb;
  }
}
