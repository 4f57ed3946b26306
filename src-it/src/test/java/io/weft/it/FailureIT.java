package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.JobFailedException;
import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure contract of a job, on local files in local mode: a user function that throws on
 * one record fails the job after {@code weft.task.maxFailures} attempts with the user's message
 * in the exception and no output left behind; an existing output directory and a missing input
 * each fail before any task runs, with a message naming the path.
 */
class FailureIT {
  private static final int MAX_FAILURES = 2;
  private static final String POISON = "poison";
  private static final String USER_MESSAGE = "refusing to count the poison record";

  @TempDir static Path dir;
  private static Path input;

  @BeforeAll
  static void writeInput() throws IOException {
    // Two files, so the job has a partition that succeeds next to the one that fails.
    input = Files.createDirectories(dir.resolve("in"));
    List<String> clean = new ArrayList<>();
    List<String> poisoned = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      clean.add("alpha beta gamma " + i);
      poisoned.add("delta epsilon " + i);
    }
    poisoned.add(2_500, "delta " + POISON + " epsilon");
    Files.write(input.resolve("part-00000"), clean);
    Files.write(input.resolve("part-00001"), poisoned);
  }

  @Test
  void userFunctionThatThrowsFailsTheJobAfterMaxFailuresAndLeavesNoOutput() throws IOException {
    Path out = dir.resolve("out-poisoned");
    try (WeftContext wc = context()) {
      EventRecorder recorder = EventRecorder.attach(wc);
      JobFailedException e = assertThrows(JobFailedException.class, () -> wc.textFile(input.toString())
          .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
          .mapToPair(word -> {
            if (word.equals(POISON)) {
              throw new IllegalStateException(USER_MESSAGE);
            }
            return Pair.of(word, 1L);
          })
          .reduceByKey(Long::sum)
          .saveAsTextFile(out.toString()));

      assertTrue(causeChainMessages(e).contains(USER_MESSAGE),
          "the user's message is in the failure: " + causeChainMessages(e));
      long failedAttempts = recorder.taskEnds().stream()
          .filter(t -> !t.succeeded() && t.failure() != null && t.failure().contains(USER_MESSAGE))
          .count();
      assertEquals(MAX_FAILURES, failedAttempts, "attempts of the poisoned task");
    }
    assertNoOutput(out);
  }

  @Test
  void existingOutputDirectoryFailsBeforeAnyTaskRuns() throws IOException {
    Path out = Files.createDirectories(dir.resolve("out-existing"));
    Path earlier = Files.writeString(out.resolve("earlier-result"), "keep me\n");
    try (WeftContext wc = context()) {
      EventRecorder recorder = EventRecorder.attach(wc);
      RuntimeException e = assertThrows(RuntimeException.class,
          () -> wc.textFile(input.toString()).map(String::length).saveAsTextFile(out.toString()));
      assertTrue(e.getMessage() != null && e.getMessage().contains(out.toString()),
          "message names " + out + ": " + e.getMessage());
      assertFalse(recorder.anyTaskScheduled(), "no stage may run: " + recorder.events());
    }
    assertEquals("keep me\n", Files.readString(earlier), "the earlier result is untouched");
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(List.of(earlier), files.toList(), "nothing added to the existing directory");
    }
  }

  @Test
  void missingInputFailsBeforeAnyTaskRunsNamingThePath() {
    Path missing = dir.resolve("no-such-input");
    try (WeftContext wc = context()) {
      EventRecorder recorder = EventRecorder.attach(wc);
      RuntimeException e = assertThrows(RuntimeException.class, () -> wc.textFile(missing.toString()).count());
      assertTrue(e.getMessage() != null && e.getMessage().contains(missing.toString()),
          "message names " + missing + ": " + e.getMessage());
      assertFalse(recorder.anyTaskScheduled(), "no stage may run: " + recorder.events());
    }
  }

  private static WeftContext context() {
    return WeftContext.create(new WeftConf(false).setMaster("local[2]").setAppName("failure-it")
        .set("weft.task.maxFailures", Integer.toString(MAX_FAILURES))
        .set("weft.local.dir", dir.resolve("weft-local").toString()));
  }

  /** A failed job's output directory does not exist, or is empty: no part files, no leftovers. */
  private static void assertNoOutput(Path out) throws IOException {
    if (!Files.exists(out)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(out)) {
      List<Path> left = walk.filter(p -> !p.equals(out)).toList();
      assertEquals(List.of(), left, "a failed job leaves nothing in " + out);
    }
  }

  private static String causeChainMessages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      sb.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
    }
    return sb.toString();
  }
}
