package io.weft.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weft.WeftContext;
import io.weft.executor.ExecutorEnv;
import io.weft.function.Fn;
import io.weft.plan.Node;
import static io.weft.testing.TestingFiles.listing;

import io.weft.testing.TestingDriverEndpoint;
import io.weft.testing.TestingJobRunner;
import io.weft.testing.TestingListNode;
import io.weft.testing.TestingTasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TextOutput} end to end on the local file system, with jobs run on the test thread. */
class TextOutputTest {
  @TempDir Path tmp;

  private final Configuration conf = new Configuration();
  private WeftContext ctx;
  private TestingJobRunner runner;

  @BeforeEach
  void setUp() throws IOException {
    ctx = TestingTasks.newContext();
    ExecutorEnv env = TestingTasks.executorEnv(Files.createDirectories(tmp.resolve("exec")), new TestingDriverEndpoint());
    runner = new TestingJobRunner(env);
  }

  @Test
  void savedPartsReadBackAsTheSameLines() throws IOException {
    Node<Integer> node = TestingListNode.of(ctx, List.of(List.of(1, 2), List.of(), List.of(3, 4, 5)));
    String out = tmp.resolve("out").toString();

    save(node, out, i -> "n=" + i + " \u00fc");

    assertEquals(List.of("_SUCCESS", "part-00000", "part-00001", "part-00002"),
        listing(tmp.resolve("out")));
    assertEquals("", Files.readString(tmp.resolve("out/part-00001")));
    // The function is shipped as a copy (like to a real task): results come back as values.
    TextFileNode read = new TextFileNode(ctx, out, 1, conf);
    List<String> back = runner.runJob(read, (task, it) -> {
      List<String> lines = new ArrayList<>();
      it.forEachRemaining(lines::add);
      return lines;
    }).stream().flatMap(List::stream).toList();
    assertEquals(List.of("n=1 \u00fc", "n=2 \u00fc", "n=3 \u00fc", "n=4 \u00fc", "n=5 \u00fc"), back);
  }

  @Test
  void nodeWithoutPartitionsStillCommitsAnEmptyResult() throws IOException {
    Path out = tmp.resolve("out");

    save(TestingListNode.of(ctx, List.<List<String>>of()), out.toString(), s -> s);

    assertEquals(List.of("_SUCCESS"), listing(out));
  }

  @Test
  void existingOutputFailsBeforeAnyTaskNamingTheDirectory() throws IOException {
    Path existing = Files.createDirectories(tmp.resolve("out"));
    Node<Integer> node = TestingListNode.of(ctx, List.of(List.of(1)));

    OutputAlreadyExistsException e = assertThrows(OutputAlreadyExistsException.class,
        () -> save(node, existing.toString(), String::valueOf));

    assertEquals("Output directory " + existing.toUri().toString().replaceFirst("^file:///", "file:/")
        .replaceFirst("/$", "") + " already exists", e.getMessage());
    assertEquals(0, runner.tasksRun());
  }

  @Test
  void failingTaskAbortsTheJobAndTheOriginalFailureSurfaces() throws IOException {
    Node<Integer> node = TestingListNode.failingAt(ctx, List.of(List.of(1), List.of(2), List.of(3)), 2);
    Path out = tmp.resolve("out");

    RuntimeException e = assertThrows(RuntimeException.class, () -> save(node, out.toString(), String::valueOf));

    assertEquals("boom in partition 2", rootCause(e).getMessage());
    assertEquals(3, runner.tasksRun());
    assertFalse(Files.exists(out), "no partial output after a failed job");
  }

  @Test
  void failingFormatFunctionLeavesNoOutput() {
    Node<Integer> node = TestingListNode.of(ctx, List.of(List.of(1), List.of(2)));
    Path out = tmp.resolve("out");

    RuntimeException e = assertThrows(RuntimeException.class, () -> save(node, out.toString(), i -> {
      if (i == 2) {
        throw new IllegalArgumentException("bad record");
      }
      return "ok";
    }));

    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertEquals("bad record", e.getCause().getMessage());
    assertFalse(Files.exists(out));
  }

  private <T> void save(Node<T> node, String path, Fn<T, String> format) {
    IoTestAccess.saveAsTextFile(runner, conf, node, path, format);
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
