package io.weft.cluster.localcluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.JobFailedException;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.function.Fn;
import io.weft.status.ListenerEvent;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures no retry in the same place can fix, with executors in their own JVMs: a task's
 * OutOfMemoryError ends its executor's JVM and the job's message names the heap to raise; a
 * class the executors do not have is named, and not retried.
 */
class ExecutorFatalErrorsTest {
  @TempDir
  Path localDir;

  private WeftConf conf(String master, int maxFailures) {
    return new WeftConf(false).setMaster(master).setAppName("fatal-errors")
        .set("weft.local.dir", localDir.resolve("scratch").toString())
        .set("weft.executor.registration.timeout", "60s")
        .set("weft.task.maxFailures", String.valueOf(maxFailures));
  }

  /** Records failed task attempts and removed executors. */
  private static final class Events {
    final List<ListenerEvent.TaskEnded> failed = new CopyOnWriteArrayList<>();
    final Set<String> removed = ConcurrentHashMap.newKeySet();

    Events(WeftContext wc) {
      wc.addListener(e -> {
        if (e instanceof ListenerEvent.TaskEnded t && !t.succeeded()) {
          failed.add(t);
        } else if (e instanceof ListenerEvent.ExecutorRemoved r) {
          removed.add(r.executorId());
        }
      });
    }
  }

  @Test
  void outOfMemoryEndsTheExecutorJvmAndFailsTheJobNamingTheExecutorHeap() throws Exception {
    try (WeftContext wc = WeftContext.create(conf("local-cluster[2,1,128]", 2))) {
      Events events = new Events(wc);
      List<Long> pids = wc.parallelize(List.of(1, 2, 3, 4), 4).map(x -> ProcessHandle.current().pid())
          .collect().stream().distinct().toList();
      assertEquals(2, pids.size());
      JobFailedException e = assertThrows(JobFailedException.class, () -> wc.parallelize(List.of(1), 1)
          .map(x -> {
            // really exhaust the 128 MiB heap: keep 8 MiB arrays reachable until allocation fails
            List<long[]> hog = new ArrayList<>();
            while (true) {
              hog.add(new long[1 << 20]);
            }
          }).count());
      assertTrue(e.getMessage().contains("java.lang.OutOfMemoryError"), e.getMessage());
      assertTrue(e.getMessage().contains("local-cluster[N,C,M]"), e.getMessage());
      assertTrue(e.getMessage().contains("failed 2 times"), e.getMessage());
      // each attempt ended its executor's JVM, so the second ran in the other, fresh JVM
      for (long pid : pids) {
        ProcessHandle h = ProcessHandle.of(pid).orElse(null);
        if (h != null) {
          h.onExit().get(30, TimeUnit.SECONDS);
        }
      }
      assertTrue(wc.listenerBus().waitUntilEmpty(10_000));
      List<String> attemptExecutors = events.failed.stream().map(ListenerEvent.TaskEnded::executorId).toList();
      assertEquals(2, attemptExecutors.size(), events.failed.toString());
      assertNotEquals(attemptExecutors.get(0), attemptExecutors.get(1));
      assertTrue(events.failed.stream().allMatch(t -> t.failure().contains("OutOfMemoryError")), events.failed.toString());
    }
  }

  @Test
  void classMissingOnTheExecutorsIsNamedAndNotRetried() throws Exception {
    Path classes = compileExtra(localDir.resolve("extra"));
    try (WeftContext wc = WeftContext.create(conf("local-cluster[1,1,256]", 4))) {
      Events events = new Events(wc);
      // the executors started with the driver's class path; the class appears on the driver only now
      ClassLoader before = Thread.currentThread().getContextClassLoader();
      try (URLClassLoader driverOnly = new URLClassLoader(new URL[] {classes.toUri().toURL()}, before)) {
        Thread.currentThread().setContextClassLoader(driverOnly);
        @SuppressWarnings("unchecked")
        Fn<Integer, Integer> plusOne = (Fn<Integer, Integer>) driverOnly.loadClass("com.example.Extra")
            .getMethod("plusOne").invoke(null);
        assertEquals(2, plusOne.call(1), "the class works on the driver");
        JobFailedException e = assertThrows(JobFailedException.class,
            () -> wc.parallelize(IntStream.range(0, 10).boxed().toList(), 1).map(plusOne).collect());
        assertTrue(e.getMessage().contains(
            "java.lang.ClassNotFoundException: com.example.Extra, not on the executors' class path: add it with --jars"),
            e.getMessage());
        ClassNotFoundException cause = assertInstanceOf(ClassNotFoundException.class, e.getCause());
        assertTrue(cause.getMessage().startsWith("com.example.Extra"), cause.getMessage());
      } finally {
        Thread.currentThread().setContextClassLoader(before);
      }
      assertTrue(wc.listenerBus().waitUntilEmpty(10_000));
      assertEquals(1, events.failed.size(), "one attempt, not retried: " + events.failed);
      assertTrue(events.removed.isEmpty(), "a missing class does not cost the executor: " + events.removed);
    }
  }

  /** Compiles {@code com.example.Extra}, whose {@code plusOne()} returns a lambda it defines. */
  private static Path compileExtra(Path dir) throws Exception {
    Path src = dir.resolve("src/com/example/Extra.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, """
        package com.example;
        public final class Extra {
          public static io.weft.function.Fn<Integer, Integer> plusOne() {
            return x -> x + 1;
          }
        }
        """);
    Path out = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "tests need a JDK");
    int rc = javac.run(null, null, null, "-cp", System.getProperty("java.class.path"),
        "-d", out.toString(), src.toString());
    assertEquals(0, rc, "javac failed");
    assertTrue(Files.exists(out.resolve("com/example/Extra.class".replace('/', File.separatorChar))));
    return out;
  }
}
