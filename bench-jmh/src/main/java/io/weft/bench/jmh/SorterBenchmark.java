package io.weft.bench.jmh;

import io.weft.HashPartitioner;
import io.weft.Pair;
import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.plan.Aggregator;
import io.weft.serialization.WeftSerializer;
import io.weft.shuffle.sort.ExternalSorter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
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
 * {@link ExternalSorter} over {@value #RECORDS} WordCount-like records (a Zipf-ish mix of 5,000
 * string keys, long values) into 16 partitions, per record: insert then read the merged output.
 * {@code mode}: {@code combine} (a sum aggregator, the map side of reduceByKey), {@code sort}
 * (a key ordering, the map side of sortByKey), {@code partition} (neither: groupByKey's map
 * side). {@code budget}: {@code 64m} fits in memory; {@code 256k} spills many sorted runs that
 * the output merges.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SorterBenchmark extends ExecutorBenchmark {
  static final int RECORDS = 200_000;
  private static final Aggregator<String, Long, Long> SUM = new Aggregator<>(v -> v, Long::sum, Long::sum);

  @Param({"combine", "sort", "partition"})
  public String mode;

  @Param({"64m", "256k"})
  public String budget;

  private List<Pair<String, Long>> records;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Random rnd = new Random(42);
    records = new ArrayList<>(RECORDS);
    for (int i = 0; i < RECORDS; i++) {
      // skewed like text: small ranks are frequent
      int rank = (int) Math.min(4999, Math.abs(rnd.nextGaussian()) * 800);
      records.add(Pair.of("word" + rank, 1L));
    }
    long memory = budget.equals("64m") ? 64L << 20 : 256L << 10;
    executor = ScratchExecutor.create("weft-jmh-sorter", new WeftConf(false), memory);
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public void insertAndMerge(Blackhole bh) {
    TaskContext task = executor.newTask();
    Aggregator<String, Long, Long> aggregator = mode.equals("combine") ? SUM : null;
    Comparator<String> ordering = mode.equals("sort") ? Comparator.naturalOrder() : null;
    ExternalSorter<String, Long, Long> sorter = new ExternalSorter<>(task, aggregator, new HashPartitioner(16),
        ordering, new WeftSerializer());
    sorter.insertAll(records.iterator());
    bh.consume(sorter.spillCount());
    for (Iterator<Pair<String, Long>> it = sorter.iterator(); it.hasNext(); ) {
      bh.consume(it.next());
    }
    task.markCompleted();
  }
}
