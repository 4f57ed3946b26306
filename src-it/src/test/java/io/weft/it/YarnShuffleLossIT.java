package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.it.apps.LosesShuffleFiles;
import io.weft.it.yarn.WeftOnYarn;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shuffle loss on YARN (issue 15, case 3): one executor's shuffle files are deleted from its
 * NodeManager's disk in the middle of the job, when the reduce stage is submitted (the
 * {@link LosesShuffleFiles} hook fires on that listener event, and the reducers wait for it: an
 * event, not a time). The reducers' fetch failures make the driver re-run exactly the lost map
 * outputs and then the reduce stage; the application succeeds with output equal to the
 * plain-Java sums, each key once.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class YarnShuffleLossIT {
  private static final Pattern SUMMARY = Pattern.compile(
      "shuffle-loss: victim=(\\S+) lost=\\[([\\d, ]*)] deleted=(\\d+) fetchFailures=(\\d+) rerun=\\[([\\d, ]*)]");

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(1).build();

  @TempDir
  static java.nio.file.Path tmp;

  @Test
  void deletedShuffleFilesAreFetchFailuresAndOnlyTheLostMapOutputsRunAgain() throws Exception {
    FileSystem fs = CLUSTER.fileSystem();
    String out = fs.makeQualified(new Path("/out/shuffle-loss")).toString();
    WeftOnYarn.Run run = WeftOnYarn.run(CLUSTER, LosesShuffleFiles.class.getName(),
        WeftOnYarn.appJar(LosesShuffleFiles.class, tmp), List.of(out), WeftOnYarn.settings("shuffle-loss", 2));
    try {
      assertEquals(0, run.exitCode(), run.output());
      assertEquals(FinalApplicationStatus.SUCCEEDED,
          WeftOnYarn.report(CLUSTER, run.appId()).getFinalApplicationStatus());
      assertEquals(expected(), readOutput(fs, new Path(out)));
      Matcher m = WeftOnYarn.stdoutLines(CLUSTER, run.appId()).stream().map(SUMMARY::matcher)
          .filter(Matcher::find).findFirst().orElseThrow(() -> new AssertionError("no shuffle-loss line"));
      System.out.println(m.group());
      TreeSet<Integer> lost = ints(m.group(2));
      assertTrue(!lost.isEmpty() && lost.size() < LosesShuffleFiles.MAPS,
          "map outputs were on both executors, so one executor's loss is part of them: " + m.group());
      assertEquals(2 * lost.size(), Integer.parseInt(m.group(3)), "a data and an index file per lost output");
      assertTrue(Integer.parseInt(m.group(4)) > 0, "reducers reported fetch failures: " + m.group());
      List<Integer> rerun = m.group(5).isBlank() ? List.of()
          : Arrays.stream(m.group(5).split(",")).map(String::trim).map(Integer::valueOf).toList();
      assertEquals(List.copyOf(lost), rerun, "exactly the lost map outputs re-ran, once each: " + m.group());
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(run.appId().toString(), System.err);
      throw e;
    }
  }

  private static TreeSet<Integer> ints(String list) {
    return list.isBlank() ? new TreeSet<>() : Arrays.stream(list.split(",")).map(String::trim)
        .map(Integer::valueOf).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Map<Integer, Long> expected() {
    Map<Integer, Long> sums = new HashMap<>();
    for (Pair<Integer, Long> p : LosesShuffleFiles.data()) {
      sums.merge(p.key(), p.value(), Long::sum);
    }
    return sums;
  }

  private static Map<Integer, Long> readOutput(FileSystem fs, Path dir) throws Exception {
    Map<Integer, Long> out = new HashMap<>();
    for (FileStatus f : fs.listStatus(dir, p -> p.getName().startsWith("part-"))) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(f.getPath()), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          String[] kv = line.split("\t");
          Long before = out.put(Integer.valueOf(kv[0]), Long.valueOf(kv[1]));
          assertEquals(null, before, "key " + kv[0] + " appears twice in the output");
        }
      }
    }
    return out;
  }
}
