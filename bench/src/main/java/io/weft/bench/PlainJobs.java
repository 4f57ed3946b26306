package io.weft.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The floor of {@code bin/weft bench --compare}: each of the four examples as the plain,
 * single-threaded Java program a competent engineer would write without any framework — a hash
 * map for WordCount and Join (the small users table in memory), an in-memory sort for Sort, a scan
 * for Grep. It writes the same text as the examples into {@code OUT/part-00000}, so the benchmark
 * checks its records against the engines'. A framework using two cores should not be slower.
 *
 * <p>Usage: {@code PlainJobs JOB ARGS...} with the examples' arguments ({@code wordcount IN OUT},
 * {@code sort IN OUT}, {@code join EVENTS USERS OUT}, {@code grep IN WORD OUT}); an input is a file
 * or a directory whose files (but {@code _*} and {@code .*}) are read in name order.
 */
public final class PlainJobs {
  private PlainJobs() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println("Usage: PlainJobs wordcount|sort|join|grep ARGS...");
      System.exit(2);
    }
    List<String> a = Arrays.asList(args).subList(1, args.length);
    switch (args[0]) {
      case "wordcount" -> wordCount(Path.of(a.get(0)), Path.of(a.get(1)));
      case "sort" -> sort(Path.of(a.get(0)), Path.of(a.get(1)));
      case "join" -> join(Path.of(a.get(0)), Path.of(a.get(1)), Path.of(a.get(2)));
      case "grep" -> grep(Path.of(a.get(0)), a.get(1), Path.of(a.get(2)));
      default -> throw new IllegalArgumentException("unknown job '" + args[0] + "'");
    }
  }

  static void wordCount(Path in, Path out) throws IOException {
    Map<String, long[]> counts = new HashMap<>();
    forEachLine(in, line -> {
      for (String word : line.split("\\s+")) {
        if (!word.isEmpty()) {
          counts.computeIfAbsent(word, w -> new long[1])[0]++;
        }
      }
    });
    writeCounts(counts, out);
  }

  /** Sorts by the first ten bytes (the records are ASCII, so byte order is the examples' char order). */
  static void sort(Path in, Path out) throws IOException {
    List<byte[]> lines = new ArrayList<>();
    forEachLine(in, line -> lines.add(line.getBytes(StandardCharsets.UTF_8)));
    byte[][] sorted = lines.toArray(new byte[0][]);
    lines.clear();
    Arrays.sort(sorted, (x, y) -> Arrays.compareUnsigned(x, 0, Math.min(10, x.length), y, 0, Math.min(10, y.length)));
    try (var os = new java.io.BufferedOutputStream(Files.newOutputStream(part(out)), 1 << 16)) {
      for (byte[] line : sorted) {
        os.write(line);
        os.write('\n');
      }
    }
  }

  static void join(Path events, Path users, Path out) throws IOException {
    Map<String, String> countryByUser = new HashMap<>();
    forEachLine(users, line -> {
      String[] f = line.split("\t");
      if (countryByUser.put(f[0], f[1]) != null) {
        throw new IllegalStateException("user " + f[0] + " twice in " + users + "; the plain join assumes unique ids");
      }
    });
    Map<String, long[]> amountByCountry = new HashMap<>();
    forEachLine(events, line -> {
      String[] f = line.split("\t");
      String country = countryByUser.get(f[0]);
      if (country != null) {
        amountByCountry.computeIfAbsent(country, c -> new long[1])[0] += Long.parseLong(f[2]);
      }
    });
    writeCounts(amountByCountry, out);
  }

  static void grep(Path in, String word, Path out) throws IOException {
    long[] count = new long[1];
    forEachLine(in, line -> {
      if (line.contains(word)) {
        count[0]++;
      }
    });
    try (BufferedWriter w = partWriter(out)) {
      w.write(count[0] + "\n");
    }
  }

  /** Pairs as Weft's {@code saveAsTextFile} writes them: {@code key TAB value}. */
  private static void writeCounts(Map<String, long[]> counts, Path out) throws IOException {
    try (BufferedWriter w = partWriter(out)) {
      for (Map.Entry<String, long[]> e : counts.entrySet()) {
        w.write(e.getKey() + "\t" + e.getValue()[0] + "\n");
      }
    }
  }

  private static void forEachLine(Path input, Consumer<String> action) throws IOException {
    for (Path file : inputFiles(input)) {
      try (InputStream is = Files.newInputStream(file);
          BufferedReader r = new BufferedReader(new java.io.InputStreamReader(is, StandardCharsets.UTF_8), 1 << 16)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          action.accept(line);
        }
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
  }

  /** The files of an input, as Weft's and Spark's text sources read them: hidden and {@code _} files skipped. */
  static List<Path> inputFiles(Path input) throws IOException {
    if (!Files.isDirectory(input)) {
      return List.of(input);
    }
    try (Stream<Path> files = Files.list(input)) {
      return files.filter(p -> {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && !n.startsWith("_") && !n.startsWith(".");
      }).sorted().toList();
    }
  }

  private static Path part(Path out) throws IOException {
    if (Files.exists(out)) {
      throw new IOException("output " + out + " already exists");
    }
    return Files.createDirectories(out).resolve("part-00000");
  }

  private static BufferedWriter partWriter(Path out) throws IOException {
    return Files.newBufferedWriter(part(out), StandardCharsets.UTF_8);
  }
}
