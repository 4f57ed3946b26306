package io.weft.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The benchmark's inputs under one directory: {@code text/}, {@code tera/} and {@code join/}
 * ({@code users/}, {@code events/}), each about {@code size} bytes, described by
 * {@code inputs.properties}. Generation takes minutes at 1 GB on two cores, so inputs are reused
 * when the manifest names the same size, seed and generator version; the manifest is written
 * last, so an interrupted generation is redone rather than trusted.
 */
final class BenchmarkInputs {
  /** Bump when a generator's output changes, so old inputs are not reused. */
  static final String GENERATOR_VERSION = "1";
  private static final String MANIFEST = "inputs.properties";

  final Path text;
  final Path tera;
  final Path events;
  final Path users;
  final long textBytes;
  final long teraBytes;
  final long joinBytes;
  final String grepWord;

  private BenchmarkInputs(Path dir, Properties manifest, long seed) {
    this.text = dir.resolve("text");
    this.tera = dir.resolve("tera");
    this.events = dir.resolve("join").resolve(JoinGenerator.EVENTS_DIR);
    this.users = dir.resolve("join").resolve(JoinGenerator.USERS_DIR);
    this.textBytes = Long.parseLong(manifest.getProperty("text.bytes"));
    this.teraBytes = Long.parseLong(manifest.getProperty("tera.bytes"));
    this.joinBytes = Long.parseLong(manifest.getProperty("join.bytes"));
    // A frequent but not top word: Grep then matches a modest share of lines.
    this.grepWord = TextGenerator.vocabulary(seed).get(100);
  }

  /** Reuses the inputs in {@code dir} if they match {@code size} and {@code seed}, else generates them. */
  static BenchmarkInputs prepare(Path dir, long size, long seed, PrintStream log) throws IOException {
    Path manifestFile = dir.resolve(MANIFEST);
    Properties wanted = new Properties();
    wanted.setProperty("size", Long.toString(size));
    wanted.setProperty("seed", Long.toString(seed));
    wanted.setProperty("generator.version", GENERATOR_VERSION);
    Properties existing = read(manifestFile);
    if (existing != null && wanted.entrySet().stream()
        .allMatch(e -> e.getValue().equals(existing.getProperty((String) e.getKey())))) {
      log.println("Reusing inputs in " + dir + " (size " + size + ", seed " + seed + ")");
      return new BenchmarkInputs(dir, existing, seed);
    }
    Files.deleteIfExists(manifestFile);
    for (String sub : new String[] {"text", "tera", "join"}) {
      deleteRecursively(dir.resolve(sub));
    }
    wanted.setProperty("text.bytes", Long.toString(timed(log, "text",
        () -> new TextGenerator().generate(dir.resolve("text"), size, seed))));
    wanted.setProperty("tera.bytes", Long.toString(timed(log, "sort records",
        () -> new TeraGenGenerator().generate(dir.resolve("tera"), size, seed))));
    wanted.setProperty("join.bytes", Long.toString(timed(log, "join tables",
        () -> new JoinGenerator().generate(dir.resolve("join"), size, seed))));
    try (OutputStream out = Files.newOutputStream(manifestFile)) {
      wanted.store(out, "Weft benchmark inputs; delete this file to regenerate");
    }
    return new BenchmarkInputs(dir, wanted, seed);
  }

  private interface Generation {
    long run() throws IOException;
  }

  private static long timed(PrintStream log, String what, Generation g) throws IOException {
    long start = System.nanoTime();
    long bytes = g.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    log.printf("Generated %s: %,d bytes in %.1f s (%.0f MB/s)%n", what, bytes, seconds,
        bytes / seconds / (1 << 20));
    return bytes;
  }

  private static Properties read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    return p;
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
