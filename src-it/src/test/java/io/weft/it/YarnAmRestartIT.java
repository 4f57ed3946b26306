package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.it.apps.KilledInReduce;
import io.weft.it.yarn.WeftOnYarn;
import io.weft.recovery.Journal;
import io.weft.recovery.JournalRecord;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptReport;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ApplicationMaster restart on YARN (issue 15, case 1): the AM's JVM is killed ({@code kill -9})
 * while a ~50 MB sort is in its reduce stage ({@link KilledInReduce} kills itself on that event,
 * after the finished map stage reached the journal; its reducers wait on a gate the next attempt
 * opens). YARN starts attempt 2, which re-runs main: the summary saved before the kill is
 * recovered, not rewritten; the sort's half-written output is removed and written again. The
 * client reports SUCCEEDED and the output equals a plain-Java sort of the input, each part once.
 * Attempt 1's executors outlive it (the application keeps containers across attempts): they stop
 * attempt 1's reducers, find attempt 2's driver in the staging directory and register with it
 * again, so attempt 2 takes the sort's map stage from the journal instead of running it. The
 * test asserts that from attempt 2's journal (no finished map stage of its own), from its
 * listener (only the sort's reduce stage was submitted; the executors that registered are attempt
 * 1's, by id) and from the ResourceManager (it allocated attempt 2 no executor container).
 *
 * <p>{@code -Dweft.it.soak=N} repeats the scenario N times (default 1); each run prints how long
 * the recovery took (kill to attempt 2 registered, kill to the application's end).
 */
@Timeout(value = 9, unit = TimeUnit.MINUTES)
class YarnAmRestartIT {
  private static final int LINES = 480_000; // ~50 MB of 104-byte lines

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(1).build();

  @TempDir
  static java.nio.file.Path tmp;

  private static Path input;
  private static List<String> sorted;

  @BeforeAll
  static void writeInput() throws Exception {
    FileSystem fs = CLUSTER.fileSystem();
    input = fs.makeQualified(new Path("/in/amrestart.txt"));
    Random random = new Random(15);
    List<String> lines = new ArrayList<>(LINES);
    Set<String> keys = new HashSet<>();
    char[] payload = new char[93];
    try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(fs.create(input), StandardCharsets.UTF_8))) {
      while (lines.size() < LINES) {
        String key = Long.toString(Math.floorMod(random.nextLong(), 3_656_158_440_062_976L), 36); // < 36^10
        key = "0".repeat(10 - key.length()) + key;
        if (!keys.add(key)) {
          continue; // unique keys: a sort by key is then a sort by line
        }
        Arrays.fill(payload, (char) ('a' + random.nextInt(26)));
        String line = key + " " + new String(payload);
        lines.add(line);
        w.write(line);
        w.write('\n');
      }
    }
    lines.sort(null);
    sorted = lines;
  }

  @Test
  void killedApplicationMasterResumesAndTheOutputIsTheSort() throws Exception {
    int runs = Integer.getInteger("weft.it.soak", 1);
    List<String> durations = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      durations.add(runOnce(i));
      System.out.println("amrestart run " + (i + 1) + "/" + runs + ": " + durations.get(i));
    }
    System.out.println("amrestart: " + runs + "/" + runs + " runs correct; recoveries: " + durations);
  }

  private String runOnce(int run) throws Exception {
    FileSystem fs = CLUSTER.fileSystem();
    Path base = fs.makeQualified(new Path("/amrestart/run-" + run));
    Path summary = new Path(base, "summary");
    Path out = new Path(base, "sorted");
    Path marker = new Path(base, "killed");
    Path facts = new Path(base, "facts");
    Map<String, String> settings = WeftOnYarn.settings("amrestart", 2);
    settings.put("weft.yarn.preserveStagingFiles", "true"); // the journal is read below
    settings.put("weft.executor.memory", "512m");
    WeftOnYarn.Run result = WeftOnYarn.run(CLUSTER, KilledInReduce.class.getName(),
        WeftOnYarn.appJar(KilledInReduce.class, tmp), List.of(input.toString(), summary.toString(),
            out.toString(), marker.toString(), new Path(base, "gate").toString(), facts.toString()), settings);
    try {
      ApplicationReport report = WeftOnYarn.report(CLUSTER, result.appId());
      assertEquals(0, result.exitCode(), result.output());
      assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus());
      assertEquals(2, report.getCurrentApplicationAttemptId().getAttemptId(), "the second attempt finished");
      assertTrue(fs.exists(marker), "attempt 1 was killed in the reduce stage");
      assertEquals(sorted, readParts(fs, out, 4));
      assertEquals(expectedSummary(), readSummary(fs, summary));

      Path journalDir = new Path(fs.getHomeDirectory(), ".weftStaging/" + result.appId() + "/journal");
      List<JournalRecord> first = Journal.readEarlier(CLUSTER.configuration(), journalDir, 2);
      List<JournalRecord> both = Journal.readEarlier(CLUSTER.configuration(), journalDir, 3);
      List<JournalRecord> second = both.subList(first.size(), both.size());
      assertEquals(1, count(first, JournalRecord.MAP_STAGE_FINISHED), "attempt 1 finished the sort's map stage: " + first);
      assertEquals(1, count(first, JournalRecord.OUTPUT_COMMITTED), "attempt 1 committed the summary only: " + first);
      assertEquals(0, count(second, JournalRecord.OUTPUT_SETUP, summary),
          "attempt 2 recovered the summary instead of writing it again: " + second);
      assertEquals(1, count(second, JournalRecord.OUTPUT_COMMITTED, out), "attempt 2 committed the sort: " + second);
      // attempt 1's executors reconnected with their shuffle files: the map stage was taken from
      // attempt 1's record, not run (a run would have journaled it again)
      assertEquals(0, count(second, JournalRecord.MAP_STAGE_FINISHED), "attempt 2 ran no map stage: " + second);
      assertEquals(List.of("executors=1,2", "sortStagesSubmitted=1"), readLines(fs, facts),
          "attempt 2 ran with attempt 1's executors (ids 1 and 2; its own would be 2.n) and submitted only "
              + "the sort's reduce stage");
      assertEquals(1, allocatedContainers(result.appId(), 2),
          "the ResourceManager allocated attempt 2 its AM's container only, no executor container");
      return recoveryTimes(fs.getFileStatus(marker).getModificationTime(), result);
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(result.appId().toString(), System.err);
      throw e;
    }
  }

  /** The ResourceManager's count of containers it allocated to attempt {@code attempt}. */
  private static int allocatedContainers(org.apache.hadoop.yarn.api.records.ApplicationId appId, int attempt) {
    return CLUSTER.cluster().yarnCluster().getResourceManager().getRMContext().getRMApps().get(appId)
        .getAppAttempts().get(org.apache.hadoop.yarn.api.records.ApplicationAttemptId.newInstance(appId, attempt))
        .getRMAppAttemptMetrics().getTotalAllocatedContainers();
  }

  private static long count(List<JournalRecord> records, String kind) {
    return records.stream().filter(r -> r.kind().equals(kind)).count();
  }

  private static long count(List<JournalRecord> records, String kind, Path path) {
    return records.stream().filter(r -> r.kind().equals(kind) && new Path(r.field(0)).equals(path)).count();
  }

  /** From the kill (the marker's time) to attempt 2's start and to the application's end, from the RM. */
  private static String recoveryTimes(long killMs, WeftOnYarn.Run result) throws Exception {
    try (YarnClient yarn = YarnClient.createYarnClient()) {
      yarn.init(CLUSTER.configuration());
      yarn.start();
      List<ApplicationAttemptReport> attempts = yarn.getApplicationAttempts(result.appId());
      long secondStart = attempts.stream().filter(a -> a.getApplicationAttemptId().getAttemptId() == 2)
          .findFirst().orElseThrow().getStartTime();
      long end = yarn.getApplicationReport(result.appId()).getFinishTime();
      return "kill->attempt 2 started " + (secondStart - killMs) + " ms, kill->finished " + (end - killMs) + " ms";
    }
  }

  /** The part files in order, each exactly once, concatenated. */
  private static List<String> readParts(FileSystem fs, Path dir, int parts) throws Exception {
    FileStatus[] files = fs.listStatus(dir, p -> p.getName().startsWith("part-"));
    Arrays.sort(files);
    assertEquals(parts, files.length, "one file per partition: " + Arrays.toString(files));
    assertTrue(fs.exists(new Path(dir, "_SUCCESS")));
    assertFalse(fs.exists(new Path(dir, "_temporary")));
    List<String> all = new ArrayList<>();
    for (int i = 0; i < files.length; i++) {
      assertEquals(String.format("part-%05d", i), files[i].getPath().getName());
      all.addAll(readLines(fs, files[i].getPath()));
    }
    return all;
  }

  private static Map<String, Long> expectedSummary() {
    Map<String, Long> m = new TreeMap<>();
    for (String l : sorted) {
      m.merge(l.substring(0, 1) + "\t" + l.length(), 1L, Long::sum);
    }
    return m;
  }

  private static Map<String, Long> readSummary(FileSystem fs, Path dir) throws Exception {
    Map<String, Long> m = new HashMap<>();
    for (FileStatus f : fs.listStatus(dir, p -> p.getName().startsWith("part-"))) {
      for (String l : readLines(fs, f.getPath())) {
        m.merge(l, 1L, Long::sum);
      }
    }
    return new TreeMap<>(m);
  }

  private static List<String> readLines(FileSystem fs, Path file) throws Exception {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    }
    return lines;
  }
}
