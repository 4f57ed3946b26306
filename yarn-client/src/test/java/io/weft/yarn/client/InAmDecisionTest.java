package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.yarn.ContainerSizes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** weft.yarn.inAm.mode resolved at submission, against files on the local file system. */
class InAmDecisionTest {
  @TempDir
  Path dir;

  private final Configuration hadoopConf = uncached();

  /** FileSystem.get caches one instance per scheme: a block size set in one test must not leak. */
  private static Configuration uncached() {
    Configuration c = new Configuration(false);
    c.setBoolean("fs.file.impl.disable.cache", true);
    return c;
  }

  private static WeftConf conf(String mode) {
    return new WeftConf(false).set("weft.yarn.inAm.mode", mode);
  }

  private String file(String name, int bytes) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, new byte[bytes]);
    return p.toUri().toString();
  }

  @Test
  void onAndOffStandWithoutLookingAtTheArguments() {
    InAmDecision.Resolved on = InAmDecision.resolve(conf("on"), List.of("hdfs://nowhere:1/in"), hadoopConf);
    assertTrue(on.inAm());
    assertTrue(on.note().contains("inside the ApplicationMaster"), on.note());
    InAmDecision.Resolved off = InAmDecision.resolve(new WeftConf(false), List.of(), hadoopConf);
    assertFalse(off.inAm(), "off by default");
    assertNull(off.note(), "nothing to say when off");
  }

  @Test
  void autoRunsInTheAmWhenTheNamedInputsAreSmall() throws Exception {
    String in = file("words.txt", 1000);
    String out = dir.resolve("out").toUri().toString(); // does not exist: not an input
    InAmDecision.Resolved r = InAmDecision.resolve(conf("auto"), List.of("--explain", in, out, "3"), hadoopConf);
    assertTrue(r.inAm(), r.note());
    assertTrue(r.note().contains("1 input path(s), 1000 B, at most 1 split(s)"), r.note());
  }

  @Test
  void autoUsesExecutorsOverEitherThreshold() throws Exception {
    String a = file("a", 600);
    String b = file("b", 600);
    WeftConf bytes = conf("auto").set("weft.yarn.inAm.maxInputBytes", "1000");
    InAmDecision.Resolved tooBig = InAmDecision.resolve(bytes, List.of(a, b), hadoopConf);
    assertFalse(tooBig.inAm(), "1200 bytes over 1000: " + tooBig.note());
    assertTrue(tooBig.note().contains("on executor containers"), tooBig.note());

    WeftConf tasks = conf("auto").set("weft.yarn.inAm.maxTasks", "1");
    assertFalse(InAmDecision.resolve(tasks, List.of(dir.toUri().toString()), hadoopConf).inAm(),
        "a directory of 2 files is at least 2 splits, over 1");
    assertTrue(InAmDecision.resolve(conf("auto"), List.of(dir.toUri().toString()), hadoopConf).inAm(),
        "the same directory is within the defaults");
  }

  @Test
  void autoUsesExecutorsWhenNoArgumentNamesAnInput() {
    InAmDecision.Resolved r = InAmDecision.resolve(conf("auto"), List.of("10", "--fast"), hadoopConf);
    assertFalse(r.inAm());
    assertTrue(r.note().contains("no argument names an existing input path"), r.note());
  }

  @Test
  void measuresBlocksAsSplits() throws Exception {
    Configuration small = uncached();
    small.setLong("fs.local.block.size", 100);
    String in = file("big", 1000);
    assertEquals(new InAmDecision.Inputs(1, 1000, 1 + 10), InAmDecision.measure(List.of(in), small));
  }

  @Test
  void theAmContainerGetsTheExecutorsMemoryAndCoresWhenTheTasksRunInIt() {
    WeftConf c = new WeftConf(false).set("weft.am.memory", "512m").set("weft.executor.memory", "2g")
        .set("weft.executor.cores", "3");
    ContainerSizes off = ContainerSizes.of(c);
    assertEquals(512 + 384, off.amContainerMb());
    assertEquals(1, off.amCores());
    ContainerSizes on = ContainerSizes.of(c.copy().set("weft.yarn.inAm.mode", "on"));
    assertEquals(2048, on.amHeapMb());
    assertEquals(2048 + 384, on.amContainerMb());
    assertEquals(3, on.amCores());
  }
}
