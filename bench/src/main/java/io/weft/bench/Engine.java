package io.weft.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code bin/weft bench} can time: Weft itself, Apache Spark's RDD API running the same
 * jobs ({@code bench-spark/}, {@code io.weft.bench.spark.SparkJobs}) and the plain single-threaded
 * Java program ({@link PlainJobs}). Every run is a fresh JVM with the same {@code WEFT_JAVA_OPTS}.
 */
enum Engine {
  WEFT("Weft"),
  SPARK("Spark"),
  PLAIN("plain");

  /**
   * The options Spark's own launcher adds on Java 17 (its {@code JavaModuleOptions}): Spark reflects
   * into these JDK packages and fails without them.
   */
  private static final List<String> SPARK_JAVA_OPTIONS = List.of(
      "-XX:+IgnoreUnrecognizedVMOptions",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "-Djdk.reflect.useDirectMethodHandle=false",
      "-Dio.netty.tryReflectionSetAccessible=true");

  final String label;

  Engine(String label) {
    this.label = label;
  }

  /** The command line of one run of {@code w} writing to {@code output}. */
  List<String> command(Workload w, Path output, Path weftHome, String master, Path examplesJar) throws IOException {
    List<String> command = new ArrayList<>();
    switch (this) {
      case WEFT -> command.addAll(List.of(weftHome.resolve("bin").resolve("weft").toString(),
          "submit", "--master", master, "--class", w.mainClass(), examplesJar.toString()));
      case SPARK -> {
        command.addAll(javaCommand());
        command.addAll(SPARK_JAVA_OPTIONS);
        command.addAll(List.of("-cp", sparkClasspath(weftHome), "io.weft.bench.spark.SparkJobs", master, w.job()));
      }
      case PLAIN -> {
        command.addAll(javaCommand());
        command.addAll(List.of("-cp", benchJar().toString(), PlainJobs.class.getName(), w.job()));
      }
      default -> throw new AssertionError(this);
    }
    command.addAll(w.appArgs(output));
    return command;
  }

  /** This JVM's {@code java} with the options every run gets ({@code WEFT_JAVA_OPTS}). */
  private static List<String> javaCommand() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String opts = System.getenv("WEFT_JAVA_OPTS");
    if (opts != null && !opts.isBlank()) {
      command.addAll(Arrays.asList(opts.trim().split("\\s+")));
    }
    return command;
  }

  private static Path benchJar() {
    try {
      return Path.of(PlainJobs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the bench jar", e);
    }
  }

  /** The Spark side's jar and Spark's jars, which {@code bin/weft bench --compare spark} builds on first use. */
  static String sparkClasspath(Path weftHome) throws IOException {
    Path target = weftHome.resolve("bench-spark").resolve("target");
    Path lib = target.resolve("lib");
    if (!Files.isDirectory(lib)) {
      throw new Benchmark.BenchmarkFailedException("no " + lib + "; build the Spark side with "
          + "`mvn -B -Pspark-compare -pl bench-spark package` (bin/weft bench --compare spark does it)");
    }
    try (Stream<Path> files = Files.list(target)) {
      Path jar = files.filter(p -> p.getFileName().toString().matches("weft-bench-spark-.*\\.jar")).findFirst()
          .orElseThrow(() -> new Benchmark.BenchmarkFailedException("no weft-bench-spark jar in " + target));
      return jar + java.io.File.pathSeparator + lib + "/*";
    }
  }
}
