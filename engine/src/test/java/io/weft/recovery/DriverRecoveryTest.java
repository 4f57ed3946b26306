package io.weft.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Dataset;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.config.FaultToleranceOptions;
import io.weft.io.OutputAlreadyExistsException;
import io.weft.status.ListenerEvent;
import io.weft.status.WeftListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saves across "attempts": contexts in local mode given the same journal directory and increasing
 * {@code weft.recovery.attempt}, as the YARN ApplicationMaster gives its drivers.
 */
@Timeout(120)
class DriverRecoveryTest {
  @TempDir Path tmp;

  private WeftContext attempt(int n) {
    return WeftContext.create(new WeftConf(false).setMaster("local[2]").setAppName("recovery-" + n)
        .set(FaultToleranceOptions.RECOVERY_ATTEMPT.key(), Integer.toString(n))
        .set(FaultToleranceOptions.RECOVERY_JOURNAL_DIR.key(), tmp.resolve("journal").toUri().toString()));
  }

  /** The program's computation; the same source lambda in every attempt, as a re-run main has. */
  private static Dataset<String> squares(WeftContext wc, Path input) {
    return wc.textFile(input.toString(), 2).map(s -> Integer.parseInt(s) * Integer.parseInt(s)).map(String::valueOf);
  }

  private static Dataset<String> cubes(WeftContext wc, Path input) {
    return wc.textFile(input.toString(), 2).map(s -> Integer.parseInt(s) * Integer.parseInt(s) * Integer.parseInt(s))
        .map(String::valueOf);
  }

  @Test
  void aCommittedOutputWithTheSameLineageIsRecoveredAndNotRewritten() throws Exception {
    Path input = input();
    Path out = tmp.resolve("squares");
    try (WeftContext one = attempt(1)) {
      squares(one, input).saveAsTextFile(out.toString());
    }
    long successMtime = Files.getLastModifiedTime(out.resolve("_SUCCESS")).toMillis();
    List<String> before = lines(out);
    Files.setLastModifiedTime(out.resolve("_SUCCESS"), java.nio.file.attribute.FileTime.fromMillis(successMtime - 10_000));

    try (WeftContext two = attempt(2)) {
      List<ListenerEvent.JobStarted> jobs = jobsOf(two);
      squares(two, input).saveAsTextFile(out.toString());
      two.listenerBus().waitUntilEmpty(10_000);
      assertEquals(List.of(), jobs, "a recovered save runs no job");
    }
    assertEquals(successMtime - 10_000, Files.getLastModifiedTime(out.resolve("_SUCCESS")).toMillis(), "not rewritten");
    assertEquals(before, lines(out));
    assertEquals(IntStream.rangeClosed(1, 40).mapToObj(i -> String.valueOf(i * i)).sorted().toList(), before);
  }

  @Test
  void aDifferentComputationOnTheSameOutputIsNeverMixedOrOverwritten() throws Exception {
    Path input = input();
    Path out = tmp.resolve("result");
    try (WeftContext one = attempt(1)) {
      squares(one, input).saveAsTextFile(out.toString());
    }
    List<String> before = lines(out);
    try (WeftContext two = attempt(2)) {
      assertThrows(OutputAlreadyExistsException.class, () -> cubes(two, input).saveAsTextFile(out.toString()));
    }
    assertEquals(before, lines(out));
  }

  @Test
  void aChangedInputChangesTheFingerprintSoTheSaveIsNotRecovered() throws Exception {
    Path input = input();
    Path out = tmp.resolve("squares");
    try (WeftContext one = attempt(1)) {
      squares(one, input).saveAsTextFile(out.toString());
      String fp = LineageFingerprint.of(squares(one, input).node(), one.hadoopConfiguration()).orElseThrow();
      assertEquals(fp, LineageFingerprint.of(squares(one, input).node(), one.hadoopConfiguration()).orElseThrow());
      assertNotEquals(fp, LineageFingerprint.of(cubes(one, input).node(), one.hadoopConfiguration()).orElseThrow());
      Files.writeString(input, Files.readString(input) + "41\n");
      assertNotEquals(fp, LineageFingerprint.of(squares(one, input).node(), one.hadoopConfiguration()).orElseThrow());
    }
    try (WeftContext two = attempt(2)) {
      assertThrows(OutputAlreadyExistsException.class, () -> squares(two, input).saveAsTextFile(out.toString()));
    }
  }

  @Test
  void anOutputAnEarlierAttemptSetUpButNeverCommittedIsRemovedAndWrittenAgain() throws Exception {
    Path input = input();
    Path out = tmp.resolve("squares");
    // attempt 1 died after setting up the output: its directory holds only _temporary
    Files.createDirectories(out.resolve("_temporary/0/_temporary/attempt_x"));
    Files.writeString(out.resolve("_temporary/0/_temporary/attempt_x/part-00000"), "999\n");
    try (Journal one = Journal.create(new org.apache.hadoop.conf.Configuration(),
        new org.apache.hadoop.fs.Path(tmp.resolve("journal").toUri()), 1)) {
      one.append(new JournalRecord(JournalRecord.OUTPUT_SETUP, "-",
          List.of(new org.apache.hadoop.fs.Path(out.toUri()).toString(), "true")));
    }
    Path unrelated = Files.createDirectories(tmp.resolve("users-own"));

    try (WeftContext two = attempt(2)) {
      squares(two, input).saveAsTextFile(out.toString());
      // a directory the journal does not name is the user's: it still fails as before
      assertThrows(OutputAlreadyExistsException.class, () -> squares(two, input).saveAsTextFile(unrelated.toString()));
    }
    assertEquals(IntStream.rangeClosed(1, 40).mapToObj(i -> String.valueOf(i * i)).sorted().toList(), lines(out));
    assertFalse(Files.exists(out.resolve("_temporary")));
    List<JournalRecord> journaled = Journal.readEarlier(new org.apache.hadoop.conf.Configuration(),
        new org.apache.hadoop.fs.Path(tmp.resolve("journal").toUri()), 3);
    assertTrue(journaled.stream().anyMatch(r -> r.kind().equals(JournalRecord.OUTPUT_COMMITTED)
        && r.field(0).endsWith("/squares") && r.field(1).equals("2")), journaled.toString());
  }

  private Path input() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 40; i++) {
      sb.append(i).append('\n');
    }
    return Files.writeString(tmp.resolve("input.txt"), sb.toString(), StandardCharsets.UTF_8);
  }

  private static List<ListenerEvent.JobStarted> jobsOf(WeftContext wc) {
    List<ListenerEvent.JobStarted> jobs = new CopyOnWriteArrayList<>();
    wc.addListener((WeftListener) e -> {
      if (e instanceof ListenerEvent.JobStarted j) {
        jobs.add(j);
      }
    });
    return jobs;
  }

  private static List<String> lines(Path dir) throws IOException {
    List<String> all = new ArrayList<>();
    try (Stream<Path> parts = Files.list(dir)) {
      for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        all.addAll(Files.readAllLines(p));
      }
    }
    all.sort(null);
    return all;
  }
}
