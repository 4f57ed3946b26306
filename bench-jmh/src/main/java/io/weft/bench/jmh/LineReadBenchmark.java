package io.weft.bench.jmh;

import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.io.FileRecordIterator;
import io.weft.io.TextFileNode;
import io.weft.io.TextFilePartition;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading the lines of a text file split, per line: {@value #LINES} lines of about 75 bytes (words
 * and spaces, as the benchmark's WordCount input) from a local file, as a {@code textFile} task
 * reads them. {@code reader}: {@code direct} (Weft's reader for uncompressed files with the
 * default delimiter) or {@code hadoop} (Hadoop's {@code LineRecordReader}, chosen by setting a
 * maximum line length, which only it supports).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LineReadBenchmark extends ExecutorBenchmark {
  static final int LINES = 200_000;

  @Param({"direct", "hadoop"})
  public String reader;

  private TextFilePartition split;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    WeftConf conf = new WeftConf(false);
    if (reader.equals("hadoop")) {
      conf.set("weft.hadoop.mapreduce.input.linerecordreader.line.maxlength", String.valueOf(Integer.MAX_VALUE - 1));
    }
    executor = ScratchExecutor.create("weft-jmh-lines", conf, 64L << 20);
    Path file = executor.dir().resolve("text.txt");
    Random rnd = new Random(42);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < LINES; i++) {
        for (int w = 0; w < 12; w++) {
          out.write("word" + (int) Math.min(4999, Math.abs(rnd.nextGaussian()) * 800) + ' ');
        }
        out.write('\n');
      }
    }
    split = new TextFilePartition(0, file.toString(), 0, Files.size(file), List.of());
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public void readSplit(Blackhole bh) {
    TaskContext task = executor.newTask();
    FileRecordIterator<String> lines = TextFileNode.lines(split, task);
    while (lines.hasNext()) {
      bh.consume(lines.next());
    }
    task.markCompleted();
  }
}
