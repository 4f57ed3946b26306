package io.weft.bench;

import io.weft.config.Sizes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bin/weft bench}: generates the inputs once (see {@link BenchmarkInputs}), then times
 * WordCount, Sort, Join and Grep, {@code --runs} times each. Every run is a fresh JVM started
 * through {@code $WEFT_HOME/bin/weft submit}, exactly as a user would run the example, so the
 * time includes JVM start and context creation and no run profits from another's JIT or caches.
 * With {@code --compare} the same jobs also run on Apache Spark and as a plain single-threaded
 * program ({@link Engine}), alternating engines run by run, each in its own JVM, and every run's
 * peak resident memory is sampled ({@link PeakRss}). Each run's output is checked: not empty,
 * the same records as the first run of the job on any engine ({@link OutputDigest}), and for Sort
 * ordered by key; then it is deleted (unless {@code --keep}). Console output goes to
 * {@code DIR/logs/}. The result table is printed and written to
 * {@code DIR/results.md}. Finds {@code bin/weft} through {@code $WEFT_HOME}, which the launcher sets.
 *
 * <p>This is a measurement, not a test: correctness is checked by the integration tests.
 */
public final class Benchmark {
  private final BenchmarkOptions options;
  private final Path weftHome;
  private final PrintStream out;

  Benchmark(BenchmarkOptions options, Path weftHome, PrintStream out) {
    this.options = options;
    this.weftHome = weftHome;
    this.out = out;
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    BenchmarkOptions options;
    try {
      options = BenchmarkOptions.parse(Arrays.asList(args));
    } catch (IllegalArgumentException e) {
      System.err.println("weft bench: " + e.getMessage() + "\n" + BenchmarkOptions.USAGE);
      System.exit(2);
      return;
    }
    // bin/weft exports WEFT_HOME; it no longer passes -Dweft.home (a weft.* system property
    // would reach every WeftConf and warn as an unknown key), but honour it if given.
    String home = System.getenv("WEFT_HOME");
    if (home == null || home.isBlank()) {
      home = System.getProperty("weft.home");
    }
    if (home == null || home.isBlank()) {
      System.err.println("weft bench: WEFT_HOME is not set; run it as `bin/weft bench`");
      System.exit(2);
      return;
    }
    try {
      new Benchmark(options, Path.of(home), System.out).run();
    } catch (BenchmarkFailedException e) {
      System.err.println("weft bench: " + e.getMessage());
      System.exit(1);
    }
  }

  void run() throws IOException, InterruptedException {
    Files.createDirectories(options.dir());
    BenchmarkInputs inputs = BenchmarkInputs.prepare(options.dir(), options.sizeBytes(), options.seed(), out);
    Path examplesJar = examplesJar();
    List<RunStats> results = new ArrayList<>();
    for (Workload w : Workload.all(inputs)) {
      if (!options.only().contains(w.job())) {
        continue;
      }
      Map<Engine, List<Measured>> byEngine = new EnumMap<>(Engine.class);
      Measured first = null;
      // engines alternate run by run, so a slow phase of the machine hits them alike
      for (int run = 1; run <= options.runs(); run++) {
        for (Engine engine : options.engines()) {
          Measured m = timeRun(w, engine, run, examplesJar);
          out.printf(Locale.ROOT, "%-10s %-5s run %d/%d: %.2f s, peak RSS %s%n", w.name(), engine.label, run,
              options.runs(), m.seconds(), m.peakRssBytes() < 0 ? "n/a" : Sizes.formatBytes(m.peakRssBytes()));
          if (first == null) {
            first = m;
          } else if (!first.output().sameRecords(m.output())) {
            throw new BenchmarkFailedException(w.name() + ": " + engine.label + " run " + run + " wrote "
                + m.output() + ", but " + first.engine().label + " run 1 wrote " + first.output());
          }
          byEngine.computeIfAbsent(engine, e -> new ArrayList<>()).add(m);
        }
      }
      byEngine.forEach((engine, runs) -> results.add(new RunStats(w.name(), engine, w.inputBytes(),
          runs.stream().map(Measured::seconds).toList(), runs.stream().map(Measured::peakRssBytes).toList())));
    }
    String table = options.engines().size() == 1
        ? ResultTable.markdown(options, results)
        : ResultTable.comparison(options, results);
    out.println();
    out.print(table);
    Path resultsFile = options.dir().resolve("results.md");
    Files.writeString(resultsFile, table, StandardCharsets.UTF_8);
    out.println("\nWritten to " + resultsFile);
  }

  /** One timed run: wall seconds, peak resident memory (-1 where unknown) and what it wrote. */
  record Measured(Engine engine, double seconds, long peakRssBytes, OutputDigest output) {}

  /** Runs one job on one engine in a fresh JVM, times it and checks its output. */
  private Measured timeRun(Workload w, Engine engine, int run, Path examplesJar)
      throws IOException, InterruptedException {
    String runName = w.job() + "-" + engine.name().toLowerCase(Locale.ROOT) + "-" + run;
    Path output = options.dir().resolve("out").resolve(runName);
    BenchmarkInputs.deleteRecursively(output);
    Files.createDirectories(output.getParent());
    Path log = Files.createDirectories(options.dir().resolve("logs")).resolve(runName + ".log");
    List<String> command = engine.command(w, output, weftHome, options.master(), examplesJar);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    long start = System.nanoTime();
    Process process = pb.start();
    PeakRss rss = PeakRss.watch(process);
    int exit = process.waitFor();
    double seconds = (System.nanoTime() - start) / 1e9;
    long peak = rss.peakBytes();
    String what = w.name() + " (" + engine.label + ") run " + run;
    if (exit != 0) {
      throw new BenchmarkFailedException(what + " exited with " + exit + "; see " + log + "\n" + tail(log, 15));
    }
    OutputDigest digest = Files.isDirectory(output) ? OutputDigest.of(output) : null;
    if (digest == null || digest.lines() == 0) {
      throw new BenchmarkFailedException(what + " wrote no output to " + output);
    }
    if (w.sorted() && !digest.sortedByKey()) {
      throw new BenchmarkFailedException(what + " wrote output not sorted by key to " + output);
    }
    if (!options.keep()) {
      BenchmarkInputs.deleteRecursively(output);
    }
    return new Measured(engine, seconds, peak, digest);
  }

  private Path examplesJar() throws IOException {
    Path target = weftHome.resolve("examples").resolve("target");
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(p -> {
        String n = p.getFileName().toString();
        return n.startsWith("weft-examples-") && n.endsWith(".jar") && !n.endsWith("-tests.jar")
            && !n.endsWith("-sources.jar");
      }).findFirst().orElseThrow(() -> new BenchmarkFailedException("no weft-examples jar in " + target
          + "; build with `mvn -o -DskipTests package`"));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new BenchmarkFailedException("no " + target + "; build with `mvn -o -DskipTests package`");
    }
  }

  private static String tail(Path file, int lines) throws IOException {
    List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** A run failed or produced nothing: the benchmark stops, naming the run and its log. */
  static final class BenchmarkFailedException extends RuntimeException {
    BenchmarkFailedException(String message) {
      super(message);
    }
  }
}
