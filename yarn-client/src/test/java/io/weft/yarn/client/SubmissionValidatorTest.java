package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.yarn.ContainerSizes;
import org.apache.hadoop.yarn.api.records.Resource;
import org.junit.jupiter.api.Test;

/** The resource check as a pure function of the settings and the scheduler's maximum allocation. */
class SubmissionValidatorTest {
  private static final Resource MAX = Resource.newInstance(2048, 4);

  @Test
  void executorMemoryPlusOverheadAboveTheMaximumNamesTheSettingAndBothNumbers() {
    WeftConf conf = new WeftConf(false).set("weft.executor.memory", "2g");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SubmissionValidator.checkResources(conf, MAX));
    String m = e.getMessage();
    assertTrue(m.contains("weft.executor.memory"), m);
    assertTrue(m.contains("2432 MB"), "heap 2048 + overhead 384: " + m);
    assertTrue(m.contains("2048 MB"), "the cluster's maximum: " + m);
    assertTrue(m.contains("nothing submitted"), m);
  }

  @Test
  void explicitOverheadCountsToo() {
    WeftConf conf = new WeftConf(false).set("weft.executor.memory", "1g")
        .set("weft.executor.memoryOverhead", "1100m");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SubmissionValidator.checkResources(conf, MAX));
    assertTrue(e.getMessage().contains("weft.executor.memoryOverhead 1100 MB"), e.getMessage());
    assertTrue(e.getMessage().contains("2124 MB"), e.getMessage());
  }

  @Test
  void applicationMasterAndCoresAreCheckedAndAllProblemsReportedAtOnce() {
    WeftConf conf = new WeftConf(false).set("weft.am.memory", "4g").set("weft.executor.cores", "8");
    String m = assertThrows(IllegalArgumentException.class,
        () -> SubmissionValidator.checkResources(conf, MAX)).getMessage();
    assertTrue(m.contains("weft.am.memory"), m);
    assertTrue(m.contains("4505 MB"), "4096 + 409: " + m);
    assertTrue(m.contains("weft.executor.cores is 8"), m);
    assertTrue(m.contains("maximum of 4 vcores"), m);
  }

  @Test
  void requestThatFitsGivesHeapPlusOverhead() {
    ContainerSizes sizes = SubmissionValidator.checkResources(new WeftConf(false), MAX);
    assertEquals(new ContainerSizes(512, 384, 1, 1024, 384, 1), sizes);
    assertEquals(1408, sizes.executorContainerMb());
    ContainerSizes big = ContainerSizes.of(new WeftConf(false).set("weft.executor.memory", "8g"));
    assertEquals(819, big.executorOverheadMb(), "10% of the heap above 3840m");
  }
}
