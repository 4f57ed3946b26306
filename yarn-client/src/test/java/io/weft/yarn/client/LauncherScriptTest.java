package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/weft submit} as a fresh clone and a built tree see it, with stand-ins for {@code mvn}
 * and {@code java} that record their arguments: a tree without jars is built first; a built one
 * starts {@code java} with the client jar (not its tests jar) first on the class path and the
 * configuration last, makes the client's CDS archive when there is none, uses it when there is,
 * and names a new one when a jar on the class path changes.
 */
@Timeout(60)
class LauncherScriptTest {
  @TempDir
  Path tmp;
  private Path home;
  private Path bin;

  @BeforeEach
  void fakeTools() throws IOException {
    home = Files.createDirectories(tmp.resolve("weft"));
    Path script = Files.createDirectories(home.resolve("bin")).resolve("weft");
    Files.copy(Path.of("..", "bin", "weft"), script);
    assertTrue(script.toFile().setExecutable(true));
    Files.createDirectories(home.resolve("conf"));
    bin = Files.createDirectories(tmp.resolve("fakebin"));
    recorder(bin.resolve("mvn"), "mvn.args");
    recorder(Files.createDirectories(tmp.resolve("jdk/bin")).resolve("java"), "java.args");
    Files.createDirectories(tmp.resolve("jdk/lib/server"));
    Files.writeString(tmp.resolve("jdk/lib/server/libjvm.so"), "jvm");
  }

  @Test
  void aTreeWithoutJarsIsBuiltFirst() throws Exception {
    submit(Map.of());
    List<String> mvn = Files.readAllLines(tmp.resolve("mvn.args"));
    assertTrue(mvn.contains("package") && mvn.contains("!src-it"), "mvn " + mvn);
  }

  @Test
  void aBuiltTreeStartsJavaWithTheClientJarFirstAndItsCdsArchive() throws Exception {
    built();
    List<String> first = submit(Map.of());
    assertFalse(Files.exists(tmp.resolve("mvn.args")), "a built tree was built again");
    String cp = first.get(first.indexOf("-cp") + 1);
    assertTrue(cp.startsWith(home.resolve("yarn-client/target/weft-yarn-client-1.0.jar") + ":"), cp);
    assertTrue(cp.endsWith(":" + home.resolve("conf")), cp);
    assertEquals(List.of("io.weft.yarn.client.Launcher", "submit", "--master", "local[2]", "--class", "X", "app.jar"),
        first.subList(first.indexOf("-cp") + 2, first.size()));
    String dump = option(first, "-XX:ArchiveClassesAtExit=");
    Path jsa = Path.of(dump.substring(0, dump.indexOf(".jsa.") + 4));
    assertEquals(tmp.resolve("cache/weft"), jsa.getParent());

    Files.writeString(jsa, "archive"); // what the first run's JVM leaves at its exit
    List<String> second = submit(Map.of());
    assertEquals(jsa.toString(), option(second, "-XX:SharedArchiveFile="));
    assertTrue(second.contains("-Xshare:auto"), "a stale archive must only cost the sharing: " + second);

    Files.writeString(home.resolve("yarn-client/target/lib/dep.jar"), "a rebuilt dependency");
    String rebuilt = option(submit(Map.of()), "-XX:ArchiveClassesAtExit=");
    assertNotEquals(jsa.toString(), rebuilt.substring(0, rebuilt.indexOf(".jsa.") + 4));

    List<String> off = submit(Map.of("WEFT_CLIENT_CDS", "false"));
    assertTrue(off.stream().noneMatch(a -> a.startsWith("-XX:Shared") || a.startsWith("-XX:Archive")), off.toString());
  }

  /** What a build leaves, with a tests jar that sorts before the client jar. */
  private void built() throws IOException {
    for (String dir : List.of("yarn-client/target/lib", "yarn-client/target/runtime", "examples/target",
        "bench/target", "minicluster/target/lib")) {
      Files.createDirectories(home.resolve(dir));
    }
    for (String jar : List.of("yarn-client/target/weft-yarn-client-1.0-tests.jar",
        "yarn-client/target/weft-yarn-client-1.0.jar", "yarn-client/target/lib/dep.jar",
        "examples/target/weft-examples-1.0.jar", "bench/target/weft-bench-1.0.jar",
        "minicluster/target/weft-minicluster-1.0.jar")) {
      Files.writeString(home.resolve(jar), "jar");
    }
  }

  /** Runs {@code bin/weft submit}; returns the stand-in java's arguments. */
  private List<String> submit(Map<String, String> env) throws Exception {
    Files.deleteIfExists(tmp.resolve("java.args"));
    ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/weft").toString(), "submit", "--master", "local[2]",
        "--class", "X", "app.jar").redirectErrorStream(true).redirectOutput(tmp.resolve("out.log").toFile());
    Map<String, String> e = pb.environment();
    List.of("WEFT_CONF_DIR", "WEFT_JAVA_OPTS", "WEFT_CLIENT_CDS", "HADOOP_CONF_DIR", "YARN_CONF_DIR")
        .forEach(e::remove);
    e.put("JAVA_HOME", tmp.resolve("jdk").toString());
    e.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    e.put("PATH", bin + ":" + e.getOrDefault("PATH", "/usr/bin:/bin"));
    e.put("RECORD_DIR", tmp.toString());
    e.putAll(env);
    Process p = pb.start();
    assertTrue(p.waitFor(50, TimeUnit.SECONDS), "bin/weft did not end");
    String out = Files.readString(tmp.resolve("out.log"));
    assertEquals(0, p.exitValue(), out);
    return Files.readAllLines(tmp.resolve("java.args"));
  }

  private static String option(List<String> args, String prefix) {
    return args.stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + " in " + args));
  }

  private static void recorder(Path file, String record) throws IOException {
    Files.writeString(file, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done > \"$RECORD_DIR/" + record + "\"\n",
        StandardCharsets.UTF_8);
    assertTrue(file.toFile().setExecutable(true));
  }
}
