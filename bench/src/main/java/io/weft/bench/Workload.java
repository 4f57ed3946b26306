package io.weft.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One example to time: its main class, the arguments before and after the output directory
 * (the examples' command lines are fixed, see {@code io.weft.examples}), and the input bytes it
 * reads, for MB/s.
 */
record Workload(String name, String mainClass, List<String> argsBeforeOutput, List<String> argsAfterOutput,
    long inputBytes) {

  /** The four examples on the benchmark's inputs. */
  static List<Workload> all(BenchmarkInputs in) {
    return List.of(
        new Workload("WordCount", "io.weft.examples.WordCount", List.of(in.text.toString()), List.of(),
            in.textBytes),
        new Workload("Sort", "io.weft.examples.Sort", List.of(in.tera.toString()), List.of(), in.teraBytes),
        new Workload("Join", "io.weft.examples.Join", List.of(in.events.toString(), in.users.toString()),
            List.of(), in.joinBytes),
        new Workload("Grep", "io.weft.examples.Grep", List.of(in.text.toString(), in.grepWord), List.of(),
            in.textBytes));
  }

  /** Whether the job's output must be ordered by key (Sort). */
  boolean sorted() {
    return name.equals("Sort");
  }

  /** The job's name for {@link PlainJobs} and the Spark side: {@code wordcount}, {@code sort}, ... */
  String job() {
    return name.toLowerCase(java.util.Locale.ROOT);
  }

  /** The application's arguments for output directory {@code out}. */
  List<String> appArgs(Path out) {
    List<String> args = new ArrayList<>(argsBeforeOutput);
    args.add(out.toString());
    args.addAll(argsAfterOutput);
    return args;
  }
}
