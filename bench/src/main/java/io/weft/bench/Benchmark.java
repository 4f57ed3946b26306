package io.weft.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code bin/weft bench}: generates the inputs once (see {@link BenchmarkInputs}), then times
 * WordCount, Sort, Join and Grep, {@code --runs} times each. Every run is a fresh JVM started
 * through {@code $WEFT_HOME/bin/weft submit}, exactly as a user would run the example, so the
 * time includes JVM start and context creation and no run profits from another's JIT or caches.
 * Each run's output is checked to be non-empty, then deleted (unless {@code --keep}); its console
 * output goes to {@code DIR/logs/}. The result table is printed and written to
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
      List<Double> seconds = new ArrayList<>();
      for (int run = 1; run <= options.runs(); run++) {
        double s = timeRun(w, run, examplesJar);
        out.printf("%-10s run %d/%d: %.2f s%n", w.name(), run, options.runs(), s);
        seconds.add(s);
      }
      results.add(new RunStats(w.name(), w.inputBytes(), seconds));
    }
    String table = ResultTable.markdown(options, results);
    out.println();
    out.print(table);
    Path resultsFile = options.dir().resolve("results.md");
    Files.writeString(resultsFile, table, StandardCharsets.UTF_8);
    out.println("\nWritten to " + resultsFile);
  }

  /** Runs one example in a fresh JVM; returns its wall seconds after checking its output. */
  private double timeRun(Workload w, int run, Path examplesJar) throws IOException, InterruptedException {
    Path output = options.dir().resolve("out").resolve(w.name().toLowerCase() + "-" + run);
    BenchmarkInputs.deleteRecursively(output);
    Files.createDirectories(output.getParent());
    Path log = Files.createDirectories(options.dir().resolve("logs")).resolve(w.name().toLowerCase() + "-" + run + ".log");
    List<String> command = new ArrayList<>(List.of(weftHome.resolve("bin").resolve("weft").toString(),
        "submit", "--master", options.master(), "--class", w.mainClass(), examplesJar.toString()));
    command.addAll(w.appArgs(output));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    long start = System.nanoTime();
    int exit = pb.start().waitFor();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (exit != 0) {
      throw new BenchmarkFailedException(w.name() + " run " + run + " exited with " + exit + "; see " + log
          + "\n" + tail(log, 15));
    }
    long outputBytes = partBytes(output);
    if (outputBytes == 0) {
      throw new BenchmarkFailedException(w.name() + " run " + run + " wrote no output to " + output);
    }
    if (!options.keep()) {
      BenchmarkInputs.deleteRecursively(output);
    }
    return seconds;
  }

  /** Total size of the {@code part-*} files in {@code dir} (0 if there are none). */
  private static long partBytes(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    long total = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (p.getFileName().toString().startsWith("part-")) {
          total += Files.size(p);
        }
      }
    }
    return total;
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
