package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.it.apps.SpeculatesAStraggler;
import io.weft.it.yarn.WeftOnYarn;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speculation on YARN (issue 15, case 5): one task's first attempt hangs until killed
 * ({@link SpeculatesAStraggler}); with {@code weft.speculation=true} a copy on the other
 * executor container wins, the hung original is killed, the application succeeds, and the HDFS
 * output holds every record exactly once, one part file per partition.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class YarnSpeculationIT {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(1).build();

  @TempDir
  static java.nio.file.Path tmp;

  @Test
  void aStragglersCopyWinsAndTheOutputHasItsPartitionOnce() throws Exception {
    FileSystem fs = CLUSTER.fileSystem();
    Path out = fs.makeQualified(new Path("/out/speculation"));
    Map<String, String> settings = WeftOnYarn.settings("speculation", 2);
    settings.put("weft.speculation", "true");
    WeftOnYarn.Run result = WeftOnYarn.run(CLUSTER, SpeculatesAStraggler.class.getName(),
        WeftOnYarn.appJar(SpeculatesAStraggler.class, tmp),
        List.of(out.toString(), tmp.resolve("original-killed").toString()), settings);
    try {
      assertEquals(0, result.exitCode(), result.output());
      assertEquals(FinalApplicationStatus.SUCCEEDED,
          WeftOnYarn.report(CLUSTER, result.appId()).getFinalApplicationStatus());
      String line = WeftOnYarn.stdoutLines(CLUSTER, result.appId()).stream()
          .filter(l -> l.startsWith("speculation: ")).findFirst()
          .orElseThrow(() -> new AssertionError("the driver printed no speculation line"));
      assertTrue(line.contains(" successes=1 "), "exactly one attempt of the slow partition succeeded: " + line);
      assertTrue(line.endsWith(" killed=true"), "the hung original was killed: " + line);

      assertTrue(fs.exists(new Path(out, "_SUCCESS")));
      FileStatus[] parts = fs.listStatus(out, p -> p.getName().startsWith("part-"));
      assertEquals(4, parts.length, "one part file per partition");
      List<String> lines = new ArrayList<>();
      java.util.Arrays.sort(parts);
      for (FileStatus f : parts) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(f.getPath()), StandardCharsets.UTF_8))) {
          r.lines().forEach(lines::add);
        }
      }
      assertEquals(IntStream.range(0, SpeculatesAStraggler.RECORDS).mapToObj(String::valueOf).toList(), lines,
          "every record once, in order");
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(result.appId().toString(), System.err);
      throw e;
    }
  }
}
