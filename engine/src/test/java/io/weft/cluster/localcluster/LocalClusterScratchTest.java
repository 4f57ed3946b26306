package io.weft.cluster.localcluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.storage.AppScratchDir;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local-cluster scratch belongs to its application: the executors' files and logs are in the
 * application's owner-only directory, the secret is never in a file, and a driver stopped by
 * SIGTERM mid-job leaves nothing behind.
 */
class LocalClusterScratchTest {
  @TempDir
  Path localDir;

  private List<Path> entries() throws IOException {
    try (Stream<Path> s = Files.walk(localDir)) {
      return s.filter(p -> !p.equals(localDir)).toList();
    }
  }

  private boolean anySecretFile() throws IOException {
    try (Stream<Path> s = Files.walk(localDir)) {
      return s.anyMatch(p -> p.getFileName().toString().contains("secret"));
    }
  }

  private static String text(StringBuilder output) {
    synchronized (output) {
      return output.toString();
    }
  }

  @Test
  void executorsWorkInTheApplicationsDirectoryWithoutASecretFile() throws IOException {
    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local-cluster[1,1,192]")
        .setAppName("scratch").set("weft.local.dir", localDir.toString())
        .set("weft.executor.registration.timeout", "60s"))) {
      assertEquals(10, wc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 2).map(x -> x * 2).count());
      List<Path> dirs;
      try (Stream<Path> s = Files.list(localDir)) {
        dirs = s.filter(Files::isDirectory).toList();
      }
      assertEquals(1, dirs.size(), String.valueOf(entries()));
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dirs.get(0))));
      assertTrue(Files.exists(dirs.get(0).resolve("executor-1.log")), String.valueOf(entries()));
      assertFalse(anySecretFile(), String.valueOf(entries()));
    }
    assertEquals(List.of(), entries());
  }

  @Test
  void aDriverStoppedBySigtermMidJobLeavesNoScratchBehind() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process driver = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        ScratchDriverMain.class.getName(), localDir.toString()).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          synchronized (output) {
            output.append(line).append('\n');
          }
          if (line.startsWith("READY ")) {
            ready.complete(line.substring("READY ".length()));
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      ready.complete(null);
    }, "driver-output");
    reader.setDaemon(true);
    reader.start();
    try {
      String pids = ready.get(120, TimeUnit.SECONDS);
      assertTrue(pids != null, "driver did not get ready:\n" + text(output));
      List<Path> appDirs;
      try (Stream<Path> s = Files.list(localDir)) {
        appDirs = s.filter(Files::isDirectory).toList();
      }
      assertEquals(1, appDirs.size(), String.valueOf(entries()));
      assertTrue(entries().stream().anyMatch(p -> p.getFileName().toString().endsWith(".data")),
          "shuffle files exist while the driver runs: " + entries());
      assertFalse(anySecretFile(), String.valueOf(entries()));
      // another application starting meanwhile keeps the live driver's directory
      try (AppScratchDir other = AppScratchDir.create(localDir)) {
        assertTrue(Files.isDirectory(appDirs.get(0)), "a live application's directory is kept");
      }

      driver.destroy(); // SIGTERM
      assertTrue(driver.waitFor(60, TimeUnit.SECONDS), "driver did not exit after SIGTERM:\n" + text(output));
      for (long pid : Arrays.stream(pids.split(",")).mapToLong(Long::parseLong).toArray()) {
        ProcessHandle h = ProcessHandle.of(pid).orElse(null);
        if (h != null) {
          h.onExit().get(30, TimeUnit.SECONDS);
        }
      }
      assertEquals(List.of(), entries(), "scratch left behind; driver output:\n" + text(output));
    } finally {
      driver.destroyForcibly();
    }
  }
}
