package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.it.apps.EnumKeys;
import io.weft.it.yarn.WeftOnYarn;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enum, record and pair keys on YARN with two executor JVMs: each key's hashCode differs between
 * the executors, and each must still come out exactly once with the plain-Java answer.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class YarnKeysIT {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(2).build();

  @TempDir
  static java.nio.file.Path tmp;

  /** Expected {@code key<TAB>number} contents: key.toString() to the fold of its values. */
  private static <K> Map<String, Long> expected(Function<Pair<EnumKeys.Color, Long>, K> key,
      Function<Pair<EnumKeys.Color, Long>, Long> value) {
    Map<String, Long> out = new HashMap<>();
    for (int p = 0; p < EnumKeys.PARTITIONS; p++) {
      for (Pair<EnumKeys.Color, Long> r : EnumKeys.records(p)) {
        out.merge(key.apply(r).toString(), value.apply(r), Long::sum);
      }
    }
    return out;
  }

  @Test
  void enumRecordAndPairKeysComeOutOncePerKey() throws Exception {
    FileSystem fs = CLUSTER.fileSystem();
    String out = fs.makeQualified(new Path("/out/enum-keys")).toString();
    WeftOnYarn.Run run = WeftOnYarn.run(CLUSTER, EnumKeys.class.getName(), WeftOnYarn.appJar(EnumKeys.class, tmp),
        List.of(out), WeftOnYarn.settings("yarn-enum-keys", 2));
    try {
      assertEquals(0, run.exitCode(), run.output());
      ApplicationReport report = WeftOnYarn.report(CLUSTER, run.appId());
      assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus());
      // readKeyCounts fails on a key written twice: the bug this guards against
      ExampleChecks.assertSameMap(expected(Pair::key, Pair::value),
          ExampleChecks.readKeyCounts(fs, new Path(out, "enum")), "sum per color");
      ExampleChecks.assertSameMap(expected(EnumKeys::shipment, Pair::value),
          ExampleChecks.readKeyCounts(fs, new Path(out, "record")), "sum per shipment record");
      ExampleChecks.assertSameMap(expected(EnumKeys::parity, r -> 1L),
          ExampleChecks.readKeyCounts(fs, new Path(out, "pair")), "values per (color, parity) pair");
      WeftOnYarn.assertTwoExecutorsWorkedAndShuffled(CLUSTER, run.appId());
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(run.appId().toString(), System.err);
      throw e;
    }
  }
}
