package io.weft.yarn.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line of {@code weft submit}: the options a Spark user expects, help, typos. */
class SubmitArgumentsTest {
  @Test
  void helpIsHelpWhereverItIsAmongTheOptions() {
    assertTrue(SubmitArguments.parse(List.of("--help")).help());
    assertTrue(SubmitArguments.parse(List.of("-h")).help());
    assertTrue(SubmitArguments.parse(List.of("--master", "yarn", "--help")).help());
    assertTrue(SubmitArguments.parse(List.of("--bogus", "--help")).help(), "help wins over a bad option");
    // after the jar it is the application's argument
    SubmitArguments a = SubmitArguments.parse(List.of("--class", "a.B", "app.jar", "--help"));
    assertEquals(false, a.help());
    assertEquals(List.of("--help"), a.appArgs());
  }

  @Test
  void usageHasExamplesAndEveryOption() {
    for (String option : List.of("--driver-memory", "--driver-java-options", "--executor-java-options",
        "--archives", "--kill-on-interrupt", "--name", "--help", "Examples:", "weft submit --class")) {
      assertTrue(SubmitArguments.USAGE.contains(option), option);
    }
  }

  @Test
  void sparkStyleOptionsSetWeftSettings() {
    SubmitArguments a = SubmitArguments.parse(List.of("--class", "a.B", "--driver-memory", "2g",
        "--driver-java-options", "-XX:+UseG1GC -Dx=1", "--executor-java-options=-Dy=2",
        "--archives", "deps.zip#deps,more.tar.gz", "--kill-on-interrupt", "--queue", "q", "app.jar"));
    assertEquals(Map.of("weft.am.memory", "2g", "weft.am.extraJavaOptions", "-XX:+UseG1GC -Dx=1",
        "weft.executor.extraJavaOptions", "-Dy=2", "weft.yarn.killOnInterrupt", "true", "weft.yarn.queue", "q"),
        a.conf());
    assertEquals(List.of("deps.zip#deps", "more.tar.gz"), a.archives());
  }

  @Test
  void principalAndKeytabSetTheKerberosSettings() {
    SubmitArguments a = SubmitArguments.parse(List.of("--class", "a.B", "--principal", "alice@EXAMPLE.COM",
        "--keytab", "/home/alice/alice.keytab", "app.jar"));
    assertEquals(Map.of("weft.yarn.principal", "alice@EXAMPLE.COM", "weft.yarn.keytab", "/home/alice/alice.keytab"),
        a.conf());
  }

  @Test
  void aMistypedOptionGetsTheClosestKnownOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SubmitArguments.parse(List.of("--exector-memory", "2g", "--class", "a.B", "app.jar")));
    assertTrue(e.getMessage().contains("unknown option --exector-memory; did you mean --executor-memory?"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SubmitArguments.parse(List.of("--clas", "a.B", "app.jar")));
    assertTrue(e.getMessage().contains("did you mean --class?"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SubmitArguments.parse(List.of("--zzzzzzzz", "1", "--class", "a.B", "app.jar")));
    assertTrue(!e.getMessage().contains("did you mean"), "no far-fetched guess: " + e.getMessage());
  }

  @Test
  void theApplicationJarAndClassAreRequired() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SubmitArguments.parse(List.of("app.jar")));
    assertTrue(e.getMessage().contains("--class is required"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SubmitArguments.parse(List.of("--class", "a.B")));
    assertTrue(e.getMessage().contains("application jar is missing"), e.getMessage());
  }
}
