package io.weft.bench;

import io.weft.config.Sizes;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of {@code bin/weft bench}:
 * {@code [--size 1g] [--runs 3] [--master local[2]] [--dir DIR] [--seed N] [--keep] [--compare spark|plain]
 * [--only grep,wordcount]}.
 * {@code --size} is the size of each generated input (text, TeraSort records, join tables);
 * {@code --keep} keeps every run's output instead of deleting it once checked; {@code --compare}
 * also times Apache Spark and the plain single-threaded program ({@code spark}) or the plain
 * program alone ({@code plain}), alternating engines run by run; {@code --only} times the named
 * examples alone (their inputs are still all generated, once).
 */
record BenchmarkOptions(long sizeBytes, int runs, String master, Path dir, long seed, boolean keep,
    List<Engine> engines, Set<String> only) {

  /** The jobs {@code --only} accepts: {@link Workload#job()} of each example. */
  static final List<String> JOBS = List.of("wordcount", "sort", "join", "grep");

  static final String USAGE = String.join("\n",
      "Usage: weft bench [--size 1g] [--runs 3] [--master local[2]] [--dir DIR] [--seed N] [--keep]",
      "                  [--compare spark|plain] [--only grep,wordcount]",
      "  --size SIZE      bytes of each input: text, sort records, join tables (default 1g)",
      "  --runs N         timed runs of each example, each in a fresh JVM (default 3)",
      "  --master MASTER  weft.master of the runs (default local[2])",
      "  --dir DIR        inputs, logs and results.md; inputs are reused if size and seed match",
      "                   (default ./bench-data)",
      "  --seed N         generator seed (default 42)",
      "  --keep           keep each run's output (default: deleted once checked)",
      "  --compare WHAT   also time Apache Spark's RDD API and a plain single-threaded Java",
      "                   program (spark; downloads Spark on first use) or the plain program",
      "                   only (plain), alternating engines run by run; outputs must be equal",
      "  --only JOBS      time only these examples, comma-separated: wordcount, sort, join, grep",
      "                   (default: all four)");

  static BenchmarkOptions parse(List<String> args) {
    long size = 1L << 30;
    int runs = 3;
    String master = "local[2]";
    Path dir = Path.of("bench-data");
    long seed = 42;
    boolean keep = false;
    List<Engine> engines = List.of(Engine.WEFT);
    Set<String> only = new LinkedHashSet<>(JOBS);
    for (int i = 0; i < args.size(); i++) {
      String opt = args.get(i);
      if (opt.equals("--keep")) {
        keep = true;
        continue;
      }
      if (!List.of("--size", "--runs", "--master", "--dir", "--seed", "--compare", "--only").contains(opt)) {
        throw new IllegalArgumentException("unknown option '" + opt + "'");
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException("option " + opt + " needs a value");
      }
      String value = args.get(++i);
      try {
        switch (opt) {
          case "--size" -> size = Sizes.parseBytes(value);
          case "--runs" -> runs = Integer.parseInt(value);
          case "--master" -> master = value;
          case "--dir" -> dir = Path.of(value);
          case "--compare" -> engines = switch (value) {
            case "spark" -> List.of(Engine.WEFT, Engine.SPARK, Engine.PLAIN);
            case "plain" -> List.of(Engine.WEFT, Engine.PLAIN);
            default -> throw new IllegalArgumentException("expected spark or plain");
          };
          case "--only" -> only = jobs(value);
          default -> seed = Long.parseLong(value);
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad value '" + value + "' for " + opt + ": " + e.getMessage());
      }
    }
    if (size <= 0 || runs <= 0) {
      throw new IllegalArgumentException("--size and --runs must be positive");
    }
    if (engines.contains(Engine.SPARK) && !master.matches("local\\[(\\d+|\\*)]")) {
      throw new IllegalArgumentException("--compare spark runs both engines in one JVM each: --master must be "
          + "local[N], not '" + master + "'");
    }
    return new BenchmarkOptions(size, runs, master, dir.toAbsolutePath().normalize(), seed, keep, engines,
        Set.copyOf(only));
  }

  private static Set<String> jobs(String value) {
    Set<String> jobs = new LinkedHashSet<>();
    for (String job : value.toLowerCase(Locale.ROOT).split(",")) {
      if (!JOBS.contains(job.trim())) {
        throw new IllegalArgumentException("unknown example '" + job.trim() + "', expected some of " + JOBS);
      }
      jobs.add(job.trim());
    }
    return jobs;
  }
}
