package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line cluster as a user runs it: {@code MiniClusterMain} in its own JVM on
 * exactly {@code minicluster/target/lib} (what {@code bin/weft minicluster} uses, so a missing
 * runtime jar fails here), a Hadoop {@code FsShell} on the client jars only with the written
 * conf dir as its HADOOP_CONF_DIR, and SIGTERM ending it cleanly with exit code 0.
 */
class MiniClusterMainIT {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path LIB = ROOT.resolve("minicluster/target/lib");
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path tmp;

  @Test
  void startsWritesConfServesFsShellAndStopsOnSigterm() throws Exception {
    Path confDir = tmp.resolve("conf");
    Path stderr = tmp.resolve("minicluster.err");
    Process cluster = new ProcessBuilder(JAVA, "-Dlog4j.configuration=file:" + ROOT.resolve("conf/log4j.properties"),
        "-cp", moduleJar() + ":" + LIB + "/*", "io.weft.minicluster.MiniClusterMain",
        "--conf-dir", confDir.toString(), "--nodemanagers", "1")
        .redirectError(stderr.toFile()).start();
    try {
      String ready = readyLine(cluster, stderr);
      assertTrue(ready.contains("conf in " + confDir) && ready.contains("HDFS hdfs://")
          && ready.contains("ResourceManager ") && ready.contains("web UI http://"), ready);
      for (String site : List.of("core-site.xml", "hdfs-site.xml", "yarn-site.xml")) {
        assertTrue(Files.isRegularFile(confDir.resolve(site)), site);
      }

      Path local = Files.writeString(tmp.resolve("hello.txt"), "hello weft\n");
      assertEquals("", fsShell(confDir, "-put", local.toString(), "/hello.txt"));
      assertEquals("hello weft\n", fsShell(confDir, "-cat", "/hello.txt"));

      long t0 = System.nanoTime();
      cluster.destroy(); // SIGTERM
      assertTrue(cluster.waitFor(60, TimeUnit.SECONDS), "still running 60 s after SIGTERM");
      assertEquals(0, cluster.exitValue(), "exit code after SIGTERM; stderr in " + stderr);
      System.err.printf("MiniClusterMainIT: stopped %d ms after SIGTERM%n", (System.nanoTime() - t0) / 1_000_000);
    } finally {
      cluster.destroyForcibly();
    }
  }

  /** Waits for the one "ready" line on stdout; fails with the stderr tail if the JVM dies. */
  private static String readyLine(Process p, Path stderr) throws Exception {
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          if (l.startsWith("weft minicluster ready: ")) {
            return l;
          }
        }
        return null;
      } catch (IOException e) {
        return null;
      }
    });
    long t0 = System.nanoTime();
    String ready = line.get(180, TimeUnit.SECONDS);
    if (ready == null) {
      List<String> err = Files.readAllLines(stderr);
      throw new AssertionError("no ready line, exit " + p.waitFor() + "; stderr tail:\n"
          + String.join("\n", err.subList(Math.max(0, err.size() - 40), err.size())));
    }
    System.err.printf("MiniClusterMainIT: ready after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    return ready;
  }

  /** Runs FsShell with the client jars only (no minicluster jar) and returns its stdout. */
  private static String fsShell(Path confDir, String... args) throws Exception {
    List<String> cp = new ArrayList<>(List.of(confDir.toString()));
    try (Stream<Path> jars = Files.list(LIB)) {
      jars.filter(j -> !j.getFileName().toString().startsWith("hadoop-client-minicluster")).forEach(j -> cp.add(j.toString()));
    }
    List<String> command = new ArrayList<>(List.of(JAVA, "-Dlog4j.configuration=file:" + ROOT.resolve("conf/log4j.properties"),
        "-cp", String.join(":", cp), "org.apache.hadoop.fs.FsShell"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "FsShell " + List.of(args) + ": " + err);
    return out;
  }

  private static Path moduleJar() throws IOException {
    try (Stream<Path> jars = Files.list(ROOT.resolve("minicluster/target"))) {
      return jars.filter(j -> j.getFileName().toString().matches("weft-minicluster-.*\\.jar"))
          .filter(j -> !j.getFileName().toString().endsWith("-tests.jar"))
          .findFirst().orElseThrow(() -> new IllegalStateException("minicluster/target has no module jar: build it first"));
    }
  }
}
