package io.weft.yarn.am;

import org.apache.hadoop.yarn.api.records.ContainerExitStatus;
import org.apache.hadoop.yarn.api.records.ContainerStatus;

/**
 * Says what a finished executor container's exit status means, in words an operator can act
 * on, and whether it counts as an executor failure: a preempted container was taken back by the
 * scheduler and is no fault of the application; one killed for exceeding its memory needs a
 * bigger overhead, and the message names the setting.
 */
public final class ExitStatusClassifier {
  private ExitStatusClassifier() {}

  /** The meaning of an exit, and whether it counts towards the executor failure limit. */
  public record Classification(String reason, boolean countsAsFailure) {}

  public static Classification classify(ContainerStatus status) {
    int code = status.getExitStatus();
    String diagnostics = status.getDiagnostics() == null ? "" : status.getDiagnostics().trim();
    String where = status.getContainerId() + ": ";
    return switch (code) {
      case ContainerExitStatus.PREEMPTED -> new Classification(where
          + "preempted by the YARN scheduler (not counted as a failure)", false);
      case ContainerExitStatus.KILLED_EXCEEDED_PMEM, ContainerExitStatus.KILLED_EXCEEDED_VMEM ->
          new Classification(where + "killed by YARN for exceeding its memory limit; raise "
              + "weft.executor.memoryOverhead (off-heap, thread stacks, buffers) or weft.executor.memory. "
              + firstLine(diagnostics), true);
      case ContainerExitStatus.ABORTED -> new Classification(where
          + "released or aborted by YARN (e.g. its node was lost): " + firstLine(diagnostics), false);
      case ContainerExitStatus.DISKS_FAILED -> new Classification(where
          + "its node's disks failed: " + firstLine(diagnostics), false);
      case ContainerExitStatus.SUCCESS -> new Classification(where + "exited normally", false);
      default -> new Classification(where + "exited with code " + code + ": " + firstLine(diagnostics), true);
    };
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
