package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.bench.OutputFactory;
import io.weft.bench.TextGenerator;
import io.weft.it.yarn.WeftOnYarn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code yarn jar} recipe, run as {@code yarn jar} runs it: a child JVM with
 * HADOOP_CONF_DIR (the embedded cluster's written conf) and HADOOP_CLASSPATH
 * ({@code yarn-client/target/lib/*}) on its class path, executing Hadoop's
 * {@code org.apache.hadoop.util.RunJar}, which unpacks the jar into a temporary directory and
 * calls its main class. The launcher must find Weft's jars from there, submit to YARN and
 * succeed, with the output equal to a plain-Java count. And the examples jar given to RunJar
 * directly, with no master configured, must fail naming the weft submit command instead of
 * running WordCount in local[*] on the edge node.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class YarnJarIT {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path CLIENT_LIB = ROOT.resolve("yarn-client/target/lib");
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(1).build();

  @TempDir
  static Path tmp;
  private static Path confDir;
  private static FileSystem fs;

  @BeforeAll
  static void writeConfAndInput() throws IOException {
    confDir = CLUSTER.writeConfDir(Files.createDirectories(tmp.resolve("hadoop-conf")));
    fs = CLUSTER.fileSystem();
    new TextGenerator(2).generate(OutputFactory.hadoop(fs, new org.apache.hadoop.fs.Path("/in/text")), 2L << 20, 11L);
  }

  private static String uri(String path) {
    return fs.makeQualified(new org.apache.hadoop.fs.Path(path)).toString();
  }

  /** What the README documents, with container sizes that fit the embedded NodeManager. */
  @Test
  void theDocumentedYarnJarCommandSubmitsToYarnAndSucceeds() throws Exception {
    Result r = yarnJar(List.of(clientJar().toString(), "submit", "--master", "yarn",
        "--class", "io.weft.examples.WordCount", "--num-executors", "2", "--executor-memory", "384m",
        "--conf", "weft.executor.memoryOverhead=128m", "--conf", "weft.am.memory=384m",
        WeftOnYarn.examplesJar().toString(), uri("/in/text"), uri("/out/wordcount")));
    ApplicationId appId = applicationId(r.output);
    try {
      assertEquals(0, r.exitCode, r.output);
      ApplicationReport report = WeftOnYarn.report(CLUSTER, appId);
      assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus());
      ExampleChecks.checkWordCount(fs, new org.apache.hadoop.fs.Path("/in/text"),
          new org.apache.hadoop.fs.Path("/out/wordcount"));
      assertFalse(WeftOnYarn.stagingDirExists(CLUSTER, appId), "staging dir left behind");
    } catch (AssertionError | Exception e) {
      CLUSTER.printContainerLogs(appId.toString(), System.err);
      throw e;
    }
  }

  @Test
  void theExamplesJarRunDirectlyWithoutAMasterFailsNamingWeftSubmit() throws Exception {
    Path examples = WeftOnYarn.examplesJar();
    Result r = yarnJar(List.of(examples.toString(), "io.weft.examples.WordCount",
        uri("/in/text"), uri("/out/direct")));
    assertNotEquals(0, r.exitCode, r.output);
    assertTrue(r.output.contains("No master is configured (weft.master)"), r.output);
    assertTrue(r.output.contains("bin/weft submit --master yarn --class io.weft.examples.WordCount " + examples),
        r.output);
    assertFalse(fs.exists(new org.apache.hadoop.fs.Path("/out/direct")), "it ran anyway");
  }

  private record Result(int exitCode, String output) {}

  /** {@code yarn jar ARGS}: RunJar in a JVM whose class path is the conf dir and the client lib. */
  private static Result yarnJar(List<String> args) throws Exception {
    Path unjarTmp = Files.createDirectories(tmp.resolve("java-tmp"));
    List<String> command = new ArrayList<>(List.of(JAVA,
        "-Dlog4j.configuration=file:" + ROOT.resolve("conf/log4j.properties"),
        "-Djava.io.tmpdir=" + unjarTmp,
        "-cp", confDir + ":" + CLIENT_LIB + "/*", "org.apache.hadoop.util.RunJar"));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("HADOOP_CONF_DIR", confDir.toString());
    pb.environment().remove("WEFT_CONF_DIR");
    pb.environment().remove("WEFT_HOME");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "yarn jar did not exit");
    System.out.println("==== yarn jar " + args + " (exit " + p.exitValue() + ")\n" + output);
    return new Result(p.exitValue(), output);
  }

  private static ApplicationId applicationId(String output) {
    Matcher m = Pattern.compile("application_\\d+_\\d+").matcher(output);
    assertTrue(m.find(), "no application id in the client's output:\n" + output);
    return ApplicationId.fromString(m.group());
  }

  private static Path clientJar() throws IOException {
    try (var jars = Files.list(ROOT.resolve("yarn-client/target"))) {
      return jars.filter(j -> j.getFileName().toString().matches("weft-yarn-client-[^/]*\\.jar"))
          .filter(j -> !j.getFileName().toString().endsWith("-tests.jar"))
          .findFirst().orElseThrow(() -> new IllegalStateException("yarn-client is not packaged"));
    }
  }
}
