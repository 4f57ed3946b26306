package io.weft.yarn.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code weft quickstart}: runs the WordCount example on a bundled sample text through the same
 * path as {@code weft submit}, prints the most frequent words, and removes what it wrote.
 * Arguments: {@code [--master M] EXAMPLES_JAR}. (The YARN issue moves it onto the embedded
 * YARN + HDFS cluster.)
 */
final class Quickstart {
  private static final String SAMPLE = "/io/weft/yarn/client/sample.txt";

  private final PrintStream out;
  private final PrintStream err;

  Quickstart(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int run(List<String> args) {
    String master = "local[2]";
    List<String> rest = new ArrayList<>(args);
    if (rest.size() >= 2 && rest.get(0).equals("--master")) {
      master = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.size() != 1) {
      err.println("Usage: weft quickstart [--master M] <weft-examples.jar>");
      return 2;
    }
    Path work = null;
    try {
      work = Files.createTempDirectory("weft-quickstart-");
      Path input = work.resolve("sample.txt");
      try (InputStream in = Quickstart.class.getResourceAsStream(SAMPLE)) {
        Files.copy(in, input);
      }
      Path output = work.resolve("wordcount");
      out.println("Weft quickstart: WordCount on " + master + " over " + Files.size(input) + " bytes of sample text");
      long start = System.nanoTime();
      int rc = new WeftSubmit(out, err).run(List.of("--master", master, "--name", "quickstart-wordcount",
          "--class", "io.weft.examples.WordCount", rest.get(0), input.toString(), output.toString()));
      if (rc != 0) {
        return rc;
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      Map<String, Long> counts = readCounts(output);
      out.printf("WordCount finished in %d ms: %d distinct words. Top 10:%n", ms, counts.size());
      counts.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .limit(10)
          .forEach(e -> out.printf("  %-12s %d%n", e.getKey(), e.getValue()));
      return 0;
    } catch (IOException e) {
      err.println("weft quickstart: " + e.getMessage());
      return 1;
    } finally {
      deleteRecursively(work);
    }
  }

  static Map<String, Long> readCounts(Path output) throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(output, "part-*")) {
      for (Path part : parts) {
        for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
          int tab = line.lastIndexOf('\t');
          counts.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
        }
      }
    }
    return counts;
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir; nothing else depends on it
    }
  }
}
