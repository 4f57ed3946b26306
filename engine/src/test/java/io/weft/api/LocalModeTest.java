package io.weft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Broadcast;
import io.weft.Dataset;
import io.weft.HashPartitioner;
import io.weft.JobFailedException;
import io.weft.LongAccumulator;
import io.weft.Optional;
import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.StorageLevel;
import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public API end to end in local[2]: every answer is checked against the same computation
 * done with plain Java collections.
 */
class LocalModeTest {
  private static WeftContext wc;
  @TempDir
  static Path localDir;

  @BeforeAll
  static void start() {
    wc = WeftContext.create(new WeftConf(false).setMaster("local[2]").setAppName("local-mode-test")
        .set("weft.local.dir", localDir.toString()).set("weft.task.maxFailures", "2"));
  }

  @AfterAll
  static void stop() {
    wc.close();
  }

  private static List<Integer> numbers(int n, long seed) {
    Random r = new Random(seed);
    return IntStream.range(0, n).mapToObj(i -> r.nextInt(1000)).collect(Collectors.toList());
  }

  @Test
  void narrowTransformationsAndActionsMatchJavaStreams() {
    List<Integer> data = numbers(10_000, 1);
    Dataset<Integer> ds = wc.parallelize(data, 7);
    assertEquals(7, ds.getNumPartitions());
    assertEquals(data.stream().map(x -> x * 2).toList(), ds.map(x -> x * 2).collect());
    assertEquals(data.stream().filter(x -> x % 3 == 0).count(), ds.filter(x -> x % 3 == 0).count());
    assertEquals(data.stream().mapToLong(Integer::longValue).sum(),
        (long) ds.map(Integer::longValue).reduce(Long::sum));
    assertEquals(data.stream().mapToInt(x -> x).sum(), ds.fold(0, Integer::sum));
    assertEquals(data.size(), (int) ds.aggregate(0, (acc, x) -> acc + 1, Integer::sum));
    assertEquals(data.subList(0, 15), ds.take(15));
    assertEquals(data.get(0), ds.first());
    assertEquals(data.stream().flatMap(x -> List.of(x, x + 1).stream()).toList(),
        ds.flatMap(x -> List.of(x, x + 1).iterator()).collect());
    assertEquals(data.size(), ds.mapPartitions(it -> {
      int n = 0;
      while (it.hasNext()) {
        it.next();
        n++;
      }
      return List.of(n).iterator();
    }).collect().stream().mapToInt(i -> i).sum());
    List<Integer> both = new ArrayList<>(data);
    both.addAll(data);
    assertEquals(both, ds.union(ds).collect());
    assertEquals(new java.util.TreeSet<>(data), new java.util.TreeSet<>(ds.distinct().collect()));
    assertEquals(new java.util.HashSet<>(data).size(), ds.distinct(3).count());
    Map<Integer, Long> counts = data.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertEquals(counts, ds.countByValue());
  }

  @Test
  void emptyDatasetsBehave() {
    Dataset<Integer> empty = wc.parallelize(List.<Integer>of(), 3);
    assertEquals(0, empty.count());
    assertEquals(List.of(), empty.take(5));
    assertThrows(UnsupportedOperationException.class, () -> empty.reduce(Integer::sum));
    assertEquals(0, (int) empty.fold(0, Integer::sum));
  }

  @Test
  void keyedAggregationsMatchPlainJava() {
    List<Pair<String, Integer>> pairs = new ArrayList<>();
    Random r = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      pairs.add(Pair.of("k" + r.nextInt(300), r.nextInt(100)));
    }
    Map<String, Integer> sums = new HashMap<>();
    Map<String, List<Integer>> groups = new HashMap<>();
    for (Pair<String, Integer> p : pairs) {
      sums.merge(p.key(), p.value(), Integer::sum);
      groups.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p.value());
    }
    PairDataset<String, Integer> ds = wc.parallelizePairs(pairs, 5);
    assertEquals(sums, ds.reduceByKey(Integer::sum).collectAsMap());
    assertEquals(sums, ds.reduceByKey(Integer::sum, 3).collectAsMap());
    assertEquals(sums, ds.foldByKey(0, Integer::sum).collectAsMap());
    assertEquals(sums, ds.aggregateByKey(0, Integer::sum, Integer::sum, 4).collectAsMap());
    Map<String, Integer> counts = new HashMap<>();
    groups.forEach((k, v) -> counts.put(k, v.size()));
    assertEquals(counts, ds.combineByKey(v -> 1, (c, v) -> c + 1, Integer::sum).collectAsMap());
    Map<String, List<Integer>> grouped = new HashMap<>();
    for (Pair<String, Iterable<Integer>> g : ds.groupByKey(4).collect()) {
      List<Integer> values = new ArrayList<>();
      g.value().forEach(values::add);
      Collections.sort(values);
      grouped.put(g.key(), values);
    }
    groups.values().forEach(Collections::sort);
    assertEquals(groups, grouped);
    Map<String, Long> countByKey = new HashMap<>();
    counts.forEach((k, v) -> countByKey.put(k, (long) v));
    assertEquals(countByKey, ds.countByKey());
    assertEquals(sums.keySet(), new java.util.HashSet<>(ds.keys().distinct().collect()));
    assertEquals(pairs.stream().mapToInt(Pair::value).sum(), ds.values().fold(0, Integer::sum));
    assertEquals(groups.get("k5").stream().map(v -> v * 10).sorted().toList(),
        ds.mapValues(v -> v * 10).lookup("k5").stream().sorted().toList());
    PairDataset<String, Integer> partitioned = ds.partitionBy(new HashPartitioner(4)).cache();
    assertEquals(groups.get("k7").stream().sorted().toList(),
        partitioned.lookup("k7").stream().sorted().toList());
    // reduceByKey over an already hash-partitioned dataset needs no new shuffle and is still right
    assertEquals(sums, partitioned.reduceByKey(Integer::sum, new HashPartitioner(4)).collectAsMap());
  }

  @Test
  void joinsMatchANestedLoopJoin() {
    List<Pair<Integer, String>> left = new ArrayList<>();
    List<Pair<Integer, Integer>> right = new ArrayList<>();
    Random r = new Random(3);
    for (int i = 0; i < 2_000; i++) {
      left.add(Pair.of(r.nextInt(500), "l" + i));
    }
    for (int i = 0; i < 1_500; i++) {
      right.add(Pair.of(r.nextInt(500) + 250, i));
    }
    List<String> expectInner = new ArrayList<>();
    List<String> expectLeft = new ArrayList<>();
    List<String> expectRight = new ArrayList<>();
    List<String> expectFull = new ArrayList<>();
    for (Pair<Integer, String> l : left) {
      boolean matched = false;
      for (Pair<Integer, Integer> rr : right) {
        if (l.key().equals(rr.key())) {
          matched = true;
          expectInner.add(l.key() + "," + l.value() + "," + rr.value());
          expectLeft.add(l.key() + "," + l.value() + "," + rr.value());
        }
      }
      if (!matched) {
        expectLeft.add(l.key() + "," + l.value() + ",-");
      }
    }
    for (Pair<Integer, Integer> rr : right) {
      boolean matched = left.stream().anyMatch(l -> l.key().equals(rr.key()));
      if (!matched) {
        expectRight.add(rr.key() + ",-," + rr.value());
      }
    }
    expectRight.addAll(expectInner);
    expectFull.addAll(expectLeft);
    expectFull.addAll(expectRight.stream().filter(s -> s.contains(",-,")).toList());
    PairDataset<Integer, String> l = wc.parallelizePairs(left, 4);
    PairDataset<Integer, Integer> rd = wc.parallelizePairs(right, 3);
    assertEquals(sorted(expectInner), sorted(l.join(rd).collect().stream()
        .map(p -> p.key() + "," + p.value().key() + "," + p.value().value()).toList()));
    assertEquals(sorted(expectLeft), sorted(l.leftOuterJoin(rd, 5).collect().stream()
        .map(p -> p.key() + "," + p.value().key() + "," + opt(p.value().value())).toList()));
    assertEquals(sorted(expectRight), sorted(l.rightOuterJoin(rd).collect().stream()
        .map(p -> p.key() + "," + opt(p.value().key()) + "," + p.value().value()).toList()));
    assertEquals(sorted(expectFull), sorted(l.fullOuterJoin(rd, 2).collect().stream()
        .map(p -> p.key() + "," + opt(p.value().key()) + "," + opt(p.value().value())).toList()));
    long cogroupKeys = l.cogroup(rd).count();
    assertEquals(left.stream().map(Pair::key).collect(Collectors.toSet()).size()
        + right.stream().map(Pair::key).filter(k -> left.stream().noneMatch(x -> x.key().equals(k)))
            .collect(Collectors.toSet()).size(), cogroupKeys);
  }

  private static String opt(Optional<?> o) {
    return o.isPresent() ? String.valueOf(o.get()) : "-";
  }

  private static List<String> sorted(List<String> in) {
    List<String> out = new ArrayList<>(in);
    Collections.sort(out);
    return out;
  }

  @Test
  void sortsGiveATotalOrderAcrossPartitions() {
    List<Integer> data = numbers(30_000, 11);
    List<Integer> expected = new ArrayList<>(data);
    Collections.sort(expected);
    Dataset<Integer> sorted = wc.parallelize(data, 6).sortBy(x -> x, true, 4);
    assertEquals(4, sorted.getNumPartitions());
    assertEquals(expected, sorted.collect());
    List<Integer> descending = new ArrayList<>(expected);
    Collections.reverse(descending);
    assertEquals(descending, wc.parallelize(data, 6).sortBy(x -> x, false, 3).collect());
    List<Pair<String, Integer>> pairs = data.stream().map(x -> Pair.of(String.format("%04d", x), x)).toList();
    List<String> keys = wc.parallelizePairs(pairs, 5).sortByKey().keys().collect();
    List<String> expectedKeys = pairs.stream().map(Pair::key).sorted().toList();
    assertEquals(expectedKeys, keys);
  }

  @Test
  void repartitionAndCoalesceKeepEveryElement() {
    List<Integer> data = numbers(5_000, 5);
    Dataset<Integer> ds = wc.parallelize(data, 8);
    Dataset<Integer> more = ds.repartition(13);
    assertEquals(13, more.getNumPartitions());
    assertEquals(sorted2(data), sorted2(more.collect()));
    Dataset<Integer> fewer = ds.coalesce(3);
    assertEquals(3, fewer.getNumPartitions());
    assertEquals(data, fewer.collect());
  }

  private static List<Integer> sorted2(List<Integer> in) {
    List<Integer> out = new ArrayList<>(in);
    Collections.sort(out);
    return out;
  }

  @Test
  void broadcastAndAccumulatorsWork() {
    Map<Integer, String> names = new TreeMap<>();
    for (int i = 0; i < 100; i++) {
      names.put(i, "n" + i);
    }
    Broadcast<Map<Integer, String>> b = wc.broadcast(names);
    LongAccumulator seen = wc.longAccumulator("seen");
    List<Integer> data = numbers(1_000, 9).stream().map(x -> x % 100).toList();
    List<String> mapped = wc.parallelize(data, 4).map(x -> {
      seen.add(1);
      return b.value().get(x);
    }).collect();
    assertEquals(data.stream().map(names::get).toList(), mapped);
    assertEquals(1_000, seen.value());
  }

  @Test
  void retriedTaskCountsItsAccumulatorUpdatesOnce() {
    LongAccumulator acc = wc.longAccumulator("once");
    long n = wc.parallelize(numbers(400, 2), 4).map(x -> {
      acc.add(1);
      TaskContext t = TaskContext.get();
      if (t.partitionId() == 1 && t.attemptNumber() == 0) {
        throw new IllegalStateException("first attempt of partition 1 fails");
      }
      return x;
    }).count();
    assertEquals(400, n);
    assertEquals(400, acc.value());
  }

  @Test
  void userExceptionFailsTheJobAfterRetriesWithTheOriginalCause() {
    int poison = numbers(100, 4).get(70);
    JobFailedException e = assertThrows(JobFailedException.class, () ->
        wc.parallelize(numbers(100, 4), 2).map(x -> {
          if (x == poison) {
            throw new IOException("cannot handle record " + x);
          }
          return x;
        }).count());
    assertTrue(e.getMessage().contains("failed 2 times"), e.getMessage());
    assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
    assertTrue(e.getCause().getMessage().startsWith("cannot handle record"));
  }

  @Test
  void nonSerializableClosureFailsWithAClearMessage() {
    Object notSerializable = new Object();
    JobFailedException e = assertThrows(JobFailedException.class, () ->
        wc.parallelize(List.of(1, 2, 3), 1).map(x -> notSerializable.hashCode() + x).collect());
    assertTrue(e.getMessage().contains("not serializable"), e.getMessage());
  }

  @Test
  void cachedDatasetIsComputedOnceAcrossJobs() {
    for (StorageLevel level : List.of(StorageLevel.MEMORY_ONLY, StorageLevel.MEMORY_AND_DISK, StorageLevel.DISK_ONLY)) {
      LongAccumulator computed = wc.longAccumulator("computed-" + level);
      List<Integer> data = numbers(2_000, 8);
      Dataset<Integer> ds = wc.parallelize(data, 4).map(x -> {
        computed.add(1);
        return x + 1;
      }).persist(level);
      assertEquals(data.size(), ds.count());
      assertEquals(data.stream().map(x -> x + 1).toList(), ds.collect());
      assertEquals(data.stream().mapToInt(x -> x + 1).sum(), (int) ds.reduce(Integer::sum));
      assertEquals(data.size(), computed.value(), level + ": computed once, then read from the cache");
      ds.unpersist();
      assertEquals(data.size(), ds.count());
      assertEquals(2L * data.size(), computed.value(), level + ": after unpersist it is recomputed");
    }
  }

  @Test
  void textFilesRoundTripThroughSaveAsTextFile() throws IOException {
    Path in = localDir.resolve("in.txt");
    List<String> lines = IntStream.range(0, 5_000).mapToObj(i -> "line " + i + " " + (i % 17)).toList();
    Files.write(in, lines);
    Path out = localDir.resolve("out");
    wc.textFile(in.toString(), 3).map(String::toUpperCase).saveAsTextFile(out.toString());
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    List<String> written = new ArrayList<>();
    try (var parts = Files.list(out)) {
      for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        written.addAll(Files.readAllLines(p));
      }
    }
    assertEquals(lines.stream().map(String::toUpperCase).toList(), written);
    Exception again = assertThrows(RuntimeException.class,
        () -> wc.parallelize(List.of(1), 1).saveAsTextFile(out.toString()));
    assertTrue(again.getMessage().contains("already exists"), again.getMessage());
    assertFalse(Files.exists(localDir.resolve("missing")));
    Exception missing = assertThrows(RuntimeException.class,
        () -> wc.textFile(localDir.resolve("missing").toString()).count());
    assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
  }

  @Test
  void wordCountPipeline() {
    List<String> lines = List.of("a b  c", "", "  b c c ", "d\ta");
    Map<String, Long> expected = new TreeMap<>();
    for (String l : lines) {
      for (String w : l.split("\\s+")) {
        if (!w.isEmpty()) {
          expected.merge(w, 1L, Long::sum);
        }
      }
    }
    Map<String, Long> counts = new TreeMap<>(wc.parallelize(lines, 2)
        .flatMap(l -> Arrays.asList(l.split("\\s+")).iterator())
        .filter(w -> !w.isEmpty())
        .mapToPair(w -> Pair.of(w, 1L))
        .reduceByKey(Long::sum)
        .collectAsMap());
    assertEquals(expected, counts);
  }

  @Test
  void shufflesWorkWithAnotherConfiguredSerializer() {
    List<Integer> data = numbers(3_000, 12);
    Map<Integer, Long> expected = data.stream().collect(Collectors.groupingBy(x -> x % 10, Collectors.counting()));
    try (WeftContext java = WeftContext.create(new WeftConf(false).setMaster("local[2]")
        .set("weft.serializer", "io.weft.serialization.JavaSerializer")
        .set("weft.local.dir", localDir.resolve("java-ser").toString()))) {
      assertEquals(expected, java.parallelize(data, 3).mapToPair(x -> Pair.of(x % 10, 1L))
          .reduceByKey(Long::sum, 4).collectAsMap());
    }
  }

  /** Counted down by the task of the test below once it runs (local mode: the same JVM and class). */
  private static final CountDownLatch SLOW_TASK_RUNNING = new CountDownLatch(1);

  @Test
  void closingTheContextFailsARunningJobInsteadOfLeavingItsCallerWaiting() throws Exception {
    WeftContext other = WeftContext.create(new WeftConf(false).setMaster("local[1]")
        .set("weft.local.dir", localDir.resolve("closing").toString()));
    java.util.concurrent.CompletableFuture<Object> result = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return other.parallelize(List.of(1), 1).map(x -> {
          SLOW_TASK_RUNNING.countDown();
          Thread.sleep(60_000); // a task that runs until the close interrupts it
          return x;
        }).collect();
      } catch (RuntimeException e) {
        return e;
      }
    });
    assertTrue(SLOW_TASK_RUNNING.await(30, TimeUnit.SECONDS), "the job's task never started");
    other.close();
    Object outcome = result.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(outcome instanceof JobFailedException, String.valueOf(outcome));
  }
}
