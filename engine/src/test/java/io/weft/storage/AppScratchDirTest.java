package io.weft.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each application's scratch lives in its own owner-only directory, gone when the application
 * stops; the directories of applications that died without cleaning up go at the next start.
 */
class AppScratchDirTest {
  @TempDir
  Path parent;

  private static List<Path> appEntries(Path parent) throws IOException {
    try (Stream<Path> s = Files.list(parent)) {
      return s.filter(p -> p.getFileName().toString().startsWith("app-")).sorted().toList();
    }
  }

  private static long filesUnder(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void localModeKeepsItsFilesInAnOwnerOnlyApplicationDirectoryRemovedAtClose() throws IOException {
    List<Pair<Integer, Integer>> data = IntStream.range(0, 10_000).mapToObj(i -> Pair.of(i % 97, i)).toList();
    Map<Integer, Integer> expected = new HashMap<>();
    data.forEach(p -> expected.merge(p.key(), p.value(), Integer::sum));
    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local[2]")
        .setAppName("scratch").set("weft.local.dir", parent.toString()))) {
      var sums = wc.parallelizePairs(data, 4).reduceByKey(Integer::sum, 3);
      assertEquals(expected, sums.collectAsMap());
      List<Path> dirs = appEntries(parent).stream().filter(Files::isDirectory).toList();
      assertEquals(1, dirs.size(), "one directory for the application: " + appEntries(parent));
      Path dir = dirs.get(0);
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
      assertTrue(filesUnder(dir) >= 4, "the shuffle's files are under it");
      try (Stream<Path> s = Files.list(parent)) {
        assertTrue(s.allMatch(p -> p.getFileName().toString().startsWith("app-")),
            "nothing of the application outside its directory (and its lock)");
      }
    }
    assertEquals(List.of(), appEntries(parent), "directory and lock file gone after close");
  }

  @Test
  void theNextStartRemovesDeadApplicationsDirectoriesAndKeepsLiveOnes() throws IOException {
    // a dead application: its directory and its lock file, which nobody holds
    Path dead = Files.createDirectories(parent.resolve("app-4242-deadbeef/executor-driver-1/shuffle"));
    Files.write(dead.resolve("shuffle_0_0.data"), new byte[1024]);
    Files.createFile(parent.resolve("app-4242-deadbeef.lock"));
    // a lock file whose directory is already gone
    Files.createFile(parent.resolve("app-4243-0badf00d.lock"));
    // not Weft's: weft.local.dir may be shared
    Path foreign = Files.createDirectories(parent.resolve("app-server"));
    Files.write(foreign.resolve("data"), new byte[8]);
    try (AppScratchDir live = AppScratchDir.create(parent)) {
      Files.write(live.dir().resolve("spill"), new byte[16]);
      try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local[1]")
          .setAppName("next").set("weft.local.dir", parent.toString()))) {
        assertEquals(3, wc.parallelize(List.of(1, 2, 3), 2).count());
        assertFalse(Files.exists(parent.resolve("app-4242-deadbeef")), "dead application's directory removed");
        assertFalse(Files.exists(parent.resolve("app-4242-deadbeef.lock")));
        assertFalse(Files.exists(parent.resolve("app-4243-0badf00d.lock")));
        assertTrue(Files.exists(live.dir().resolve("spill")), "a live application's directory is kept");
        assertTrue(Files.exists(foreign.resolve("data")), "a directory Weft did not make is kept");
        assertEquals(5, appEntries(parent).size(), "two live applications, each a directory and a lock: "
            + appEntries(parent));
      }
      assertTrue(Files.exists(live.dir().resolve("spill")), "closing another application leaves it alone");
    }
    assertEquals(List.of(foreign), appEntries(parent));
  }
}
