package io.weft.yarn.client;

import io.weft.WeftConf;
import io.weft.yarn.ContainerSizes;
import io.weft.yarn.YarnOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.yarn.api.records.Resource;

/**
 * Checks, before anything is uploaded or submitted, that the containers an application asks for
 * fit the cluster: YARN would otherwise accept the application and leave it waiting, or fail it
 * with a message that names none of Weft's settings.
 *
 * <p>A pure function of the settings and the scheduler's maximum allocation (from
 * {@code GetNewApplicationResponse.getMaximumResourceCapability()}). Failure: one
 * {@link IllegalArgumentException} listing every problem, each naming the setting and both numbers.
 */
public final class SubmissionValidator {
  private SubmissionValidator() {}

  /** The container sizes of {@code conf}, if they fit {@code max}; throws otherwise. */
  public static ContainerSizes checkResources(WeftConf conf, Resource max) {
    ContainerSizes sizes = ContainerSizes.of(conf);
    List<String> problems = new ArrayList<>();
    if (sizes.executorContainerMb() > max.getMemorySize()) {
      problems.add(String.format(
          "executor containers need %d MB (%s %d MB + %s %d MB), above the cluster's maximum "
              + "container memory of %d MB (yarn.scheduler.maximum-allocation-mb): lower %s",
          sizes.executorContainerMb(), YarnOptions.EXECUTOR_MEMORY.key(), sizes.executorHeapMb(),
          YarnOptions.EXECUTOR_MEMORY_OVERHEAD.key(), sizes.executorOverheadMb(), max.getMemorySize(),
          YarnOptions.EXECUTOR_MEMORY.key()));
    }
    if (sizes.executorCores() > max.getVirtualCores()) {
      problems.add(String.format(
          "%s is %d, above the cluster's maximum of %d vcores per container "
              + "(yarn.scheduler.maximum-allocation-vcores)",
          YarnOptions.EXECUTOR_CORES.key(), sizes.executorCores(), max.getVirtualCores()));
    }
    if (sizes.amContainerMb() > max.getMemorySize()) {
      problems.add(String.format(
          "the ApplicationMaster needs %d MB (%s %d MB + %d MB overhead), above the cluster's "
              + "maximum container memory of %d MB (yarn.scheduler.maximum-allocation-mb): lower %s",
          sizes.amContainerMb(), YarnOptions.AM_MEMORY.key(), sizes.amHeapMb(), sizes.amOverheadMb(),
          max.getMemorySize(), YarnOptions.AM_MEMORY.key()));
    }
    if (sizes.amCores() > max.getVirtualCores()) {
      problems.add(String.format(
          "%s is %d, above the cluster's maximum of %d vcores per container "
              + "(yarn.scheduler.maximum-allocation-vcores)",
          YarnOptions.AM_CORES.key(), sizes.amCores(), max.getVirtualCores()));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Impossible resource request, nothing submitted: "
          + String.join("; ", problems));
    }
    return sizes;
  }
}
