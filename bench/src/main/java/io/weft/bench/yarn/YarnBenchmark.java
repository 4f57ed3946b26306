package io.weft.bench.yarn;

import io.weft.bench.OutputFactory;
import io.weft.bench.TextGenerator;
import io.weft.minicluster.EmbeddedCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.YarnClient;

/**
 * {@code bin/weft bench --yarn [--runs N] [--dir DIR] [--size BYTES] [--conf KEY=VALUE]...}: how long a user waits for
 * a small application on YARN, phase by phase. Starts the embedded cluster in this JVM (2
 * NodeManagers, 1 DataNode, 128 MB blocks), writes a text input of {@code --size} (64 MB) to HDFS,
 * then runs each workload {@code --runs} times (3) through {@code $WEFT_HOME/bin/weft submit} in a
 * fresh process, exactly as a user launches it, with 2 executors of 1 core and 512 MB: the
 * near-empty job ({@link io.weft.bench.NearEmpty}, one task), the same with {@code --in-am}, and
 * WordCount of the input. Each workload's first run is cold: it gets a fresh
 * {@code weft.yarn.archive.dir}, so it uploads Weft's runtime and the NodeManagers localize it;
 * the others reuse it. Prints (and writes to {@code DIR/results-yarn.md}) the phase table
 * ({@link RunTimeline} says where each moment comes from) with per-workload medians. Each
 * {@code --conf} goes to every submission (to compare JVM flags, say).
 *
 * <p>A measurement, not a test: a run that fails stops the benchmark, naming its log; the
 * integration tests check results.
 */
public final class YarnBenchmark {
  private static final String USAGE = "usage: weft bench --yarn [--runs N] [--dir DIR] [--size BYTES] [--conf KEY=VALUE]...";
  private static final Pattern SUBMITTED = Pattern.compile("Submitted (application_\\d+_\\d+) ");
  private static final Pattern UPLOADED = Pattern.compile("Weft runtime: uploaded (\\S+) \\(([^)]*)\\)");

  /** One thing to time: a main class in a jar, with its arguments and extra submit options. */
  private record Workload(String name, String mainClass, Path jar, List<String> args, List<String> options) {}

  private final Path weftHome;
  private final Path dir;
  private final int runs;
  private final long sizeBytes;
  private final PrintStream out;
  /** {@code --conf} pairs given to every submission. */
  private final List<String> confs;

  YarnBenchmark(Path weftHome, Path dir, int runs, long sizeBytes, List<String> confs, PrintStream out) {
    this.weftHome = weftHome;
    this.confs = List.copyOf(confs);
    this.dir = dir;
    this.runs = runs;
    this.sizeBytes = sizeBytes;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "weft-bench-yarn");
    int runs = 3;
    long size = 64L << 20;
    List<String> confs = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--runs" -> runs = Integer.parseInt(value(args, ++i));
          case "--dir" -> dir = Path.of(value(args, ++i));
          case "--size" -> size = io.weft.config.Sizes.parseBytes(value(args, ++i));
          case "--conf" -> confs.add(value(args, ++i));
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
      if (runs < 1) {
        throw new IllegalArgumentException("--runs must be at least 1");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("weft bench --yarn: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    String home = System.getenv("WEFT_HOME");
    if (home == null || home.isBlank()) {
      System.err.println("weft bench --yarn: WEFT_HOME is not set; run it as `bin/weft bench --yarn`");
      System.exit(2);
      return;
    }
    int rc = new YarnBenchmark(Path.of(home), dir.toAbsolutePath(), runs, size, confs, System.out).run();
    System.exit(rc);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  int run() throws Exception {
    deleteRecursively(dir);
    Path confDir = Files.createDirectories(dir.resolve("conf"));
    Path logs = Files.createDirectories(dir.resolve("logs"));
    try (EmbeddedCluster cluster = EmbeddedCluster.builder().nodeManagers(2).dataNodes(1)
        .blockSize(128L << 20).baseDir(dir.resolve("cluster")).build()) {
      out.println("Starting the embedded cluster (2 NodeManagers, 1 DataNode, 128 MB blocks)...");
      cluster.start();
      cluster.writeConfDir(confDir);
      FileSystem fs = cluster.fileSystem();
      org.apache.hadoop.fs.Path input = fs.makeQualified(new org.apache.hadoop.fs.Path("/bench/in/text"));
      long written = new TextGenerator(1).generate(OutputFactory.hadoop(fs, input), sizeBytes, 7L);
      out.printf("Wrote %d bytes of text to %s%n", written, input);
      List<PhaseTable.Row> rows = new ArrayList<>();
      try (YarnClient yarn = YarnClient.createYarnClient()) {
        yarn.init(cluster.configuration());
        yarn.start();
        for (Workload w : workloads(input.toString(), fs)) {
          for (int run = 1; run <= runs; run++) {
            rows.add(timeRun(w, run, confDir, logs, cluster, yarn, fs));
          }
        }
      }
      String table = PhaseTable.markdown(rows);
      out.println();
      out.print(table);
      Files.writeString(dir.resolve("results-yarn.md"), table, StandardCharsets.UTF_8);
      out.println("\nWritten to " + dir.resolve("results-yarn.md") + "; client logs in " + logs);
      return 0;
    } catch (RunFailed e) {
      System.err.println("weft bench --yarn: " + e.getMessage());
      return 1;
    }
  }

  private List<Workload> workloads(String input, FileSystem fs) throws IOException {
    Path benchJar = jar(weftHome.resolve("bench").resolve("target"), "weft-bench-");
    Path examplesJar = jar(weftHome.resolve("examples").resolve("target"), "weft-examples-");
    String output = fs.makeQualified(new org.apache.hadoop.fs.Path("/bench/out/wordcount")).toString();
    return List.of(
        new Workload("near-empty", "io.weft.bench.NearEmpty", benchJar, List.of(), List.of()),
        new Workload("near-empty in-AM", "io.weft.bench.NearEmpty", benchJar, List.of(), List.of("--in-am")),
        new Workload("WordCount " + (sizeBytes >> 20) + " MB", "io.weft.examples.WordCount", examplesJar,
            List.of(input, output), List.of()));
  }

  /** One run as a user runs it; its timeline from the client, the RM and the AM's log. */
  private PhaseTable.Row timeRun(Workload w, int run, Path confDir, Path logs, EmbeddedCluster cluster,
      YarnClient yarn, FileSystem fs) throws Exception {
    for (String a : w.args()) {
      if (a.contains("/bench/out/")) {
        fs.delete(new org.apache.hadoop.fs.Path(a), true);
      }
    }
    String slug = w.name().replaceAll("[^A-Za-z0-9]+", "-").toLowerCase();
    List<String> cmd = new ArrayList<>(List.of(weftHome.resolve("bin").resolve("weft").toString(), "submit",
        "--master", "yarn", "--class", w.mainClass(), "--num-executors", "2", "--executor-cores", "1",
        "--executor-memory", "512m", "--conf", "weft.yarn.archive.dir=/bench/archives/" + slug));
    for (String c : confs) {
      cmd.addAll(List.of("--conf", c));
    }
    cmd.addAll(w.options());
    cmd.add(w.jar().toString());
    cmd.addAll(w.args());
    Path log = logs.resolve(slug + "-" + run + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("HADOOP_CONF_DIR", confDir.toString());
    pb.environment().remove("YARN_CONF_DIR");
    long launched = System.currentTimeMillis();
    int exit = pb.start().waitFor();
    long exited = System.currentTimeMillis();
    String clientOutput = Files.readString(log, StandardCharsets.UTF_8);
    Matcher m = SUBMITTED.matcher(clientOutput);
    if (exit != 0 || !m.find()) {
      throw new RunFailed(w.name() + " run " + run + " exited with " + exit + "; see " + log);
    }
    ApplicationId appId = ApplicationId.fromString(m.group(1));
    ApplicationReport report = yarn.getApplicationReport(appId);
    if (report.getFinalApplicationStatus() != FinalApplicationStatus.SUCCEEDED) {
      throw new RunFailed(w.name() + " run " + run + " (" + appId + ") ended " + report.getFinalApplicationStatus());
    }
    RunTimeline.AmMoments am = amMoments(cluster, appId);
    RunTimeline timeline = new RunTimeline(launched, report.getStartTime(), am, exited);
    Matcher uploaded = UPLOADED.matcher(clientOutput);
    out.printf("%-18s run %d/%d: %.2f s (%s)%s%n", w.name(), run, runs, (exited - launched) / 1000.0, appId,
        uploaded.find() ? "; uploaded the runtime " + uploaded.group(1) + ", " + uploaded.group(2) : "");
    return new PhaseTable.Row(w.name(), run, run == 1, timeline.phases());
  }

  /** How long the AM's last log line may trail the client's exit. */
  private static final long AM_LOG_WAIT_MS = 10_000;

  /**
   * The moments in the AM's log, once it holds its "Unregistering" line: the client may exit
   * before the AM's log reached the file. Bounded: after {@link #AM_LOG_WAIT_MS} what is there is used.
   */
  private static RunTimeline.AmMoments amMoments(EmbeddedCluster cluster, ApplicationId appId)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + AM_LOG_WAIT_MS * 1_000_000;
    while (true) {
      RunTimeline.AmMoments am = RunTimeline.parseAmLog(amLog(cluster, appId), ZoneId.systemDefault());
      if (am.unregistered() != null || System.nanoTime() > deadline) {
        return am;
      }
      Thread.sleep(50);
    }
  }

  /** The ApplicationMaster container's stderr: the first container of the first attempt. */
  private static List<String> amLog(EmbeddedCluster cluster, ApplicationId appId) throws IOException {
    for (Path logDir : cluster.nodeManagerLogDirs()) {
      Path appDir = logDir.resolve(appId.toString());
      if (!Files.isDirectory(appDir)) {
        continue;
      }
      try (Stream<Path> containers = Files.list(appDir)) {
        for (Path c : containers.filter(c -> c.getFileName().toString().endsWith("_01_000001")).toList()) {
          return Files.readAllLines(c.resolve("stderr"), StandardCharsets.UTF_8);
        }
      }
    }
    throw new RunFailed("no ApplicationMaster log for " + appId + " under " + cluster.nodeManagerLogDirs());
  }

  private static Path jar(Path target, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(p -> {
        String n = p.getFileName().toString();
        return n.startsWith(prefix) && n.endsWith(".jar") && !n.endsWith("-tests.jar") && !n.endsWith("-sources.jar");
      }).findFirst().orElseThrow(() -> new RunFailed("no " + prefix + "*.jar in " + target));
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> all = Files.walk(p)) {
      for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  /** A run failed: the benchmark stops, naming it. */
  private static final class RunFailed extends RuntimeException {
    RunFailed(String message) {
      super(message);
    }
  }
}
