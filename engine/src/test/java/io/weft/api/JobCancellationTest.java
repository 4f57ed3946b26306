package io.weft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Dataset;
import io.weft.JobCancelledException;
import io.weft.JobFailedException;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Jobs that would never end on their own (each task emits records forever) are cancelled from
 * another thread, by group, by id, by id-less {@code cancelAllJobs}: the caller gets a {@link
 * JobCancelledException} naming the group, a cancelled save leaves no output, a job of another
 * group keeps running, and the next job in the same context is correct. In executor JVMs too
 * (local-cluster), where the kill crosses the transport. The tasks signal that they run by
 * creating a file, which the test waits for.
 */
@Timeout(180)
class JobCancellationTest {
  @TempDir
  Path dir;

  private WeftContext context(String master) {
    return WeftContext.create(new WeftConf(false).setMaster(master).setAppName("cancel-test")
        .set("weft.local.dir", dir.resolve("local").toString())
        .set("weft.executor.registration.timeout", "60s"));
  }

  /** Two partitions whose tasks each create {@code markers/<tag>-<partition>} and then emit 1s forever. */
  private static Dataset<Integer> endless(WeftContext wc, Path markers, String tag) {
    String markerDir = markers.toString();
    return wc.parallelize(List.of(0, 1), 2).flatMap(p -> {
      try {
        Files.createFile(Path.of(markerDir, tag + "-" + p));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Iterator<Integer>() {
        @Override
        public boolean hasNext() {
          return true;
        }

        @Override
        public Integer next() {
          return 1;
        }
      };
    });
  }

  /** Waits (bounded) until both tasks of {@code tag} run. */
  private static void awaitRunning(Path markers, String tag) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      try (Stream<Path> files = Files.list(markers)) {
        if (files.filter(f -> f.getFileName().toString().startsWith(tag + "-")).count() == 2) {
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the tasks of " + tag + " never started");
      }
      Thread.sleep(20); // polling the marker files: waiting for the event "both tasks run"
    }
  }

  private static Throwable failureOf(CompletableFuture<?> job) throws Exception {
    ExecutionException e = assertThrows(ExecutionException.class, () -> job.get(120, TimeUnit.SECONDS));
    return e.getCause();
  }

  @ParameterizedTest
  @ValueSource(strings = {"local[4]", "local-cluster[2,2,256]"})
  void cancellingAGroupStopsItsJobsOnlyAndTheContextRunsTheNextJob(String master) throws Exception {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    Path out = dir.resolve("out");
    try (WeftContext wc = context(master)) {
      CompletableFuture<Long> count = CompletableFuture.supplyAsync(() -> {
        wc.setJobGroup("nightly", "the endless count");
        return endless(wc, markers, "count").count();
      });
      CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
        wc.setJobGroup("other", null);
        endless(wc, markers, "save").saveAsTextFile(out.toString());
      });
      awaitRunning(markers, "count");
      awaitRunning(markers, "save");

      wc.cancelJobGroup("nightly");
      Throwable cancelled = failureOf(count);
      JobCancelledException e = assertInstanceOf(JobCancelledException.class, cancelled);
      assertEquals("nightly", e.jobGroup());
      assertTrue(e.getMessage().contains("'nightly' (the endless count)"), e.getMessage());
      assertFalse(other.isDone(), "cancelling group 'nightly' ended the job of group 'other'");

      wc.cancelAllJobs();
      JobCancelledException later = assertInstanceOf(JobCancelledException.class, failureOf(other));
      // the positive evidence that cancelling 'nightly' left it running: what ended it was cancelAllJobs
      assertTrue(later.getMessage().contains("all jobs were cancelled"), later.getMessage());
      assertFalse(Files.exists(out), "a cancelled save left " + out);

      List<Integer> doubled = wc.parallelize(IntStream.range(0, 1000).boxed().toList(), 4).map(x -> 2 * x).collect();
      assertEquals(IntStream.range(0, 1000).map(x -> 2 * x).boxed().toList(), doubled);
    }
  }

  /** cancelJob(id), with the id a listener saw in JobStarted: that job ends, the other runs on. */
  @ParameterizedTest
  @ValueSource(strings = {"local[4]", "local-cluster[2,2,256]"})
  void cancellingOneJobByItsIdEndsThatJobOnly(String master) throws Exception {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    try (WeftContext wc = context(master)) {
      CompletableFuture<Integer> firstJobId = new CompletableFuture<>();
      wc.addListener(event -> {
        if (event instanceof io.weft.status.ListenerEvent.JobStarted s) {
          firstJobId.complete(s.jobId()); // only the first completes it
        }
      });
      CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> endless(wc, markers, "first").count());
      awaitRunning(markers, "first");
      int id = firstJobId.get(60, TimeUnit.SECONDS);
      CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> endless(wc, markers, "second").count());
      awaitRunning(markers, "second");

      wc.cancelJob(id);
      JobCancelledException e = assertInstanceOf(JobCancelledException.class, failureOf(first));
      assertTrue(e.getMessage().contains("Job " + id + " cancelled"), e.getMessage());
      assertEquals(null, e.jobGroup(), "submitted in no group");
      assertFalse(second.isDone(), "cancelling job " + id + " ended the other job");

      wc.cancelAllJobs();
      JobCancelledException later = assertInstanceOf(JobCancelledException.class, failureOf(second));
      // the positive evidence that cancelJob(id) left it running: what ended it was cancelAllJobs
      assertTrue(later.getMessage().contains("all jobs were cancelled"), later.getMessage());
      assertEquals(1000L, wc.parallelize(IntStream.range(0, 1000).boxed().toList(), 4).count(),
          "the context runs the next job");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local[2]", "local-cluster[2,1,256]"})
  void aCollectOverMaxResultSizeFailsNamingTheSetting(String master) {
    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster(master).setAppName("max-result")
        .set("weft.local.dir", dir.resolve("local").toString())
        .set("weft.executor.registration.timeout", "60s")
        .set("weft.driver.maxResultSize", "64k"))) {
      List<String> small = wc.parallelize(IntStream.range(0, 100).boxed().toList(), 4).map(i -> "v" + i).collect();
      assertEquals(100, small.size());
      JobFailedException e = assertThrows(JobFailedException.class,
          () -> wc.parallelize(IntStream.range(0, 200_000).boxed().toList(), 4).map(i -> "value-" + i).collect());
      assertTrue(e.getMessage().contains("weft.driver.maxResultSize"), e.getMessage());
      assertEquals(200_000, wc.parallelize(IntStream.range(0, 200_000).boxed().toList(), 4).count(),
          "the context runs the next job");
    }
  }
}
