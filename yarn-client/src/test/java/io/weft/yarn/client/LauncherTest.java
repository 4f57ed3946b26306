package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LauncherTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private PrintStream savedErr;

  @BeforeEach
  void captureOutput() {
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreOutput() {
    System.setOut(savedOut);
    System.setErr(savedErr);
  }

  private String outText() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String errText() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void genericOptionsSetTheHadoopConfAndLeaveTheCommandsOwnArguments() throws IOException {
    Configuration conf = new Configuration(false);
    List<String> rest = Launcher.genericOptions(conf, List.of("-D", "yarn.resourcemanager.address=rm:8032",
        "-Dfs.defaultFS=hdfs://nn:8020", "--master", "yarn", "--class", "C", "app.jar", "-D", "x=y"));
    assertEquals("rm:8032", conf.get("yarn.resourcemanager.address"));
    assertEquals("hdfs://nn:8020", conf.get("fs.defaultFS"));
    assertEquals(List.of("--master", "yarn", "--class", "C", "app.jar", "-D", "x=y"), rest,
        "options after the first non-generic argument belong to the command and the application");
  }

  @Test
  void submitWithoutLeadingGenericOptionsSkipsHadoopsParser() throws IOException {
    List<List<String>> plain = List.of(List.of(),
        List.of("--master", "local[2]", "--class", "C", "app.jar", "-D", "x=y"),
        List.of("app.jar", "-D", "x=y", "-conf", "c.xml"));
    for (List<String> args : plain) {
      assertFalse(Launcher.startsWithGenericOption(args), args.toString());
      assertEquals(args, Launcher.genericOptions(new Configuration(false), args), "Hadoop's parser keeps " + args);
    }
    // weft submit's own --conf and --files: Hadoop's parser takes a leading one as its -conf
    // (a resource named "weft.a=b") and -files, so they never reached weft submit; now they do
    List<String> own = List.of("--conf", "weft.a=b", "--class", "C", "app.jar");
    assertFalse(Launcher.startsWithGenericOption(own));
    assertEquals(own.subList(2, own.size()), Launcher.genericOptions(new Configuration(false), own));
    assertFalse(Launcher.startsWithGenericOption(List.of("--files", "f.txt", "app.jar")));
    List<List<String>> generic = List.of(List.of("-D", "a=b", "app.jar"), List.of("-Da=b", "app.jar"),
        List.of("-fs", "hdfs://nn:8020", "app.jar"), List.of("-jt", "local", "app.jar"));
    for (List<String> args : generic) {
      assertTrue(Launcher.startsWithGenericOption(args), args.toString());
      assertEquals(List.of("app.jar"), Launcher.genericOptions(new Configuration(false), args),
          "Hadoop's parser takes the option of " + args);
    }
  }

  @Test
  void statusAndKillNeedAnApplicationId() {
    assertEquals(2, Launcher.run(List.of("status")));
    assertEquals(2, Launcher.run(List.of("kill", "not-an-app-id")));
    assertEquals(2, Launcher.run(List.of("logs", "application_1_0001", "--contaner", "c")));
    assertTrue(errText().contains("did you mean --container?"), errText());
  }

  @Test
  void helpOnEveryCommandPrintsItsUsageWithExamplesAndExitsZero() {
    for (String command : List.of("submit", "status", "kill", "logs", "quickstart", "minicluster", "bench")) {
      out.reset();
      assertEquals(0, Launcher.run(List.of(command, "--help")), command);
      assertTrue(outText().startsWith("Usage: weft " + command), command + ": " + outText());
      assertTrue(outText().contains("Example"), command + " has no example: " + outText());
    }
    out.reset();
    assertEquals(0, Launcher.run(List.of("--help")));
    assertTrue(outText().contains("weft logs") || outText().contains("logs <applicationId>"), outText());
    assertEquals("", errText(), "help is not an error");
  }

  @Test
  void versionPrintsWeftsVersion() {
    assertEquals(0, Launcher.run(List.of("--version")));
    assertTrue(outText().startsWith("Weft "), outText());
  }

  @Test
  void aMistypedCommandGetsTheClosestOne() {
    assertEquals(2, Launcher.run(List.of("sumbit", "--class", "C", "app.jar")));
    assertTrue(errText().contains("unknown command 'sumbit'; did you mean submit?"), errText());
  }

  @Test
  void connectTimeoutComesFromGenericOptions() {
    Configuration conf = new Configuration(false);
    assertEquals(10_000, Launcher.connectTimeoutMs(conf));
    conf.set("weft.yarn.connect.timeout", "3s");
    assertEquals(3_000, Launcher.connectTimeoutMs(conf));
  }
}
