package io.weft.yarn.am;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ContainerExitStatus;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerState;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.junit.jupiter.api.Test;

class ExitStatusClassifierTest {
  private static ContainerStatus status(int exitStatus, String diagnostics) {
    ContainerId id = ContainerId.newContainerId(
        ApplicationAttemptId.newInstance(ApplicationId.newInstance(1L, 1), 1), 2);
    return ContainerStatus.newInstance(id, ContainerState.COMPLETE, diagnostics, exitStatus);
  }

  @Test
  void preemptionIsNotAFailure() {
    ExitStatusClassifier.Classification c = ExitStatusClassifier.classify(status(ContainerExitStatus.PREEMPTED, ""));
    assertFalse(c.countsAsFailure());
    assertTrue(c.reason().contains("preempted"), c.reason());
  }

  @Test
  void killedForMemoryNamesTheSettingToRaise() {
    ExitStatusClassifier.Classification c = ExitStatusClassifier.classify(status(
        ContainerExitStatus.KILLED_EXCEEDED_PMEM, "Container is running beyond physical memory limits.\nDump..."));
    assertTrue(c.countsAsFailure());
    assertTrue(c.reason().contains("weft.executor.memoryOverhead"), c.reason());
    assertTrue(c.reason().contains("beyond physical memory limits"), c.reason());
    assertFalse(c.reason().contains("Dump"), "only the first line of the diagnostics: " + c.reason());
  }

  @Test
  void lostNodeIsNotAFailureButACrashIs() {
    assertFalse(ExitStatusClassifier.classify(status(ContainerExitStatus.ABORTED, "node lost")).countsAsFailure());
    ExitStatusClassifier.Classification crash = ExitStatusClassifier.classify(status(137, "Exception from container-launch"));
    assertTrue(crash.countsAsFailure());
    assertTrue(crash.reason().contains("exited with code 137"), crash.reason());
  }
}
