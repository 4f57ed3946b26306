package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.it.apps.KillsAnExecutorInJoin;
import io.weft.it.yarn.WeftOnYarn;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor container killed in a join's reduce stage on YARN (issue 15, case 2): when the
 * join's reduce stage is submitted, {@link KillsAnExecutorInJoin} {@code kill -9}s the executor
 * that wrote map output 0, and its reducers wait until that JVM is gone (an event, not a time).
 * The application succeeds, its output equals a plain-Java join of the same data (each line
 * once), and after the kill exactly the map outputs that were on the killed executor ran again,
 * once each, in both of the join's map stages. {@code -Dweft.it.soak=N} repeats it.
 */
@Timeout(value = 9, unit = TimeUnit.MINUTES)
class YarnExecutorKillIT {
  private static final Pattern SUMMARY = Pattern.compile(
      "executor-kill: victim=(\\S+) removed=\\[([^\\]]*)] lost=\\[(.*)] rerun=\\[(.*)]$");

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(1).build();

  @TempDir
  static java.nio.file.Path tmp;

  @Test
  void aKilledExecutorsMapOutputsAndOnlyThoseRunAgainAndTheJoinIsCorrect() throws Exception {
    int runs = Integer.getInteger("weft.it.soak", 1);
    for (int i = 0; i < runs; i++) {
      System.out.println("executor-kill run " + (i + 1) + "/" + runs + ": " + runOnce(i));
    }
  }

  private String runOnce(int run) throws Exception {
    FileSystem fs = CLUSTER.fileSystem();
    Path out = fs.makeQualified(new Path("/out/executor-kill-" + run));
    WeftOnYarn.Run result = WeftOnYarn.run(CLUSTER, KillsAnExecutorInJoin.class.getName(),
        WeftOnYarn.appJar(KillsAnExecutorInJoin.class, tmp), List.of(out.toString()),
        WeftOnYarn.settings("executor-kill", 2));
    try {
      assertEquals(0, result.exitCode(), result.output());
      assertEquals(FinalApplicationStatus.SUCCEEDED,
          WeftOnYarn.report(CLUSTER, result.appId()).getFinalApplicationStatus());
      assertEquals(expected(), readOutput(fs, out));
      Matcher m = WeftOnYarn.stdoutLines(CLUSTER, result.appId()).stream().map(SUMMARY::matcher)
          .filter(Matcher::find).findFirst().orElseThrow(() -> new AssertionError("no executor-kill line"));
      String victim = m.group(1);
      assertTrue(Arrays.asList(m.group(2).split(",\\s*")).contains(victim), "the killed executor was removed: "
          + m.group());
      List<String> lost = sets(m.group(3));
      List<String> rerun = sets(m.group(4));
      assertEquals(2, lost.size(), "the join's two map stages: " + m.group());
      assertEquals(lost, rerun, "exactly the killed executor's map outputs ran again, once each: " + m.group());
      int lostOutputs = lost.stream().mapToInt(s -> s.isBlank() ? 0 : s.split(",").length).sum();
      assertTrue(lostOutputs > 0 && lostOutputs < KillsAnExecutorInJoin.LEFT_MAPS + KillsAnExecutorInJoin.RIGHT_MAPS,
          "map outputs were on both executors, so the killed one's are some of them: " + m.group());
      return m.group();
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(result.appId().toString(), System.err);
      throw e;
    }
  }

  /** "[0, 2], [1]" as ["0, 2", "1"]. */
  private static List<String> sets(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\\[([^\\]]*)]").matcher(text);
    while (m.find()) {
      out.add(m.group(1).trim());
    }
    return out;
  }

  private static List<String> expected() {
    Map<Integer, List<String>> right = new java.util.HashMap<>();
    for (Pair<Integer, String> r : KillsAnExecutorInJoin.right()) {
      right.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
    }
    List<String> lines = new ArrayList<>();
    for (Pair<Integer, String> l : KillsAnExecutorInJoin.left()) {
      for (String r : right.getOrDefault(l.key(), List.of())) {
        lines.add(l.key() + "\t" + l.value() + "\t" + r);
      }
    }
    lines.sort(null);
    return lines;
  }

  /** Every line of every part file, sorted: a line written twice would show twice. */
  private static List<String> readOutput(FileSystem fs, Path dir) throws Exception {
    assertTrue(fs.exists(new Path(dir, "_SUCCESS")));
    List<String> lines = new ArrayList<>();
    for (FileStatus f : fs.listStatus(dir, p -> p.getName().startsWith("part-"))) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(f.getPath()), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
        }
      }
    }
    lines.sort(null);
    return lines;
  }
}
