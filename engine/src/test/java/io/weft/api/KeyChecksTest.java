package io.weft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Dataset;
import io.weft.HashPartitioner;
import io.weft.JobFailedException;
import io.weft.Pair;
import io.weft.PairDataset;
import io.weft.UnsupportedKeyException;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys Weft cannot group (arrays) are refused with one clear message naming the operation and a
 * wrapper; the wrapper then gives the plain-Java answer. Operations on a dataset with no
 * partitions return empty, and every operation taking a partition count refuses one below 1.
 */
class KeyChecksTest {
  private static WeftContext wc;
  @TempDir
  static Path localDir;
  @TempDir
  static Path emptyDir;

  @BeforeAll
  static void start() {
    wc = WeftContext.create(new WeftConf(false).setMaster("local[2]").setAppName("key-checks-test")
        .set("weft.local.dir", localDir.toString()).set("weft.task.maxFailures", "2"));
  }

  @AfterAll
  static void stop() {
    wc.close();
  }

  /** 1,000 byte[] keys with 10 distinct contents. */
  private static List<Pair<byte[], Long>> byteKeys() {
    List<Pair<byte[], Long>> out = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      out.add(Pair.of(new byte[] {(byte) (i % 10), 7}, 1L));
    }
    return out;
  }

  private static void assertRefused(String operation, String type, Supplier<?> job) {
    JobFailedException e = assertThrows(JobFailedException.class, job::get, operation);
    UnsupportedKeyException cause = assertInstanceOf(UnsupportedKeyException.class, e.getCause(), operation);
    assertTrue(cause.getMessage().startsWith(operation + ": " + type + " cannot be a key"), cause.getMessage());
    assertTrue(e.getMessage().contains(cause.getMessage()), e.getMessage());
  }

  /**
   * Four map partitions on two slots: the job fails while tasks are still queued, and must end
   * at once (a refused key is not retried) rather than wait for them.
   */
  @Test
  @Timeout(120)
  void arrayKeysAreRefusedNamingTheOperationAndAWrapper() {
    PairDataset<byte[], Long> bytes = wc.parallelizePairs(byteKeys(), 4);
    assertRefused("reduceByKey", "byte[]", () -> bytes.reduceByKey(Long::sum, 3).collect());
    assertRefused("groupByKey", "byte[]", () -> bytes.groupByKey().collect());
    PairDataset<byte[], Long> partitioned = wc.parallelizePairs(List.<Pair<byte[], Long>>of(), 1)
        .partitionBy(new HashPartitioner(3));
    assertEquals(0, partitioned.count(), "shuffled before the join, so the join has one map stage");
    assertRefused("join", "byte[]", () -> bytes.join(partitioned, 3).collect());
    assertRefused("countByKey", "byte[]", bytes::countByKey);
    assertRefused("distinct", "int[]", () -> wc.parallelize(List.of(new int[] {1}, new int[] {1}), 1).distinct().collect());
    assertRefused("reduceByKey", "java.lang.String[]", () -> wc.parallelizePairs(
        List.of(Pair.of(Pair.of(new String[] {"a"}, 1), 1L)), 1).reduceByKey(Long::sum).collect());
    JobFailedException e = assertThrows(JobFailedException.class, () -> bytes.reduceByKey(Long::sum).collect());
    assertTrue(e.getMessage().contains("ByteBuffer.wrap(bytes)"), e.getMessage());
  }

  @Test
  void wrappedArrayKeysGroupByContent() {
    Map<String, Long> expected = new HashMap<>();
    byteKeys().forEach(p -> expected.merge(Arrays.toString(p.key()), p.value(), Long::sum));
    // task results travel by Java serialization, which ByteBuffer does not support: unwrap first
    Map<String, Long> counts = wc.parallelizePairs(byteKeys(), 4)
        .mapToPair(p -> Pair.of(ByteBuffer.wrap(p.key()), p.value()))
        .reduceByKey(Long::sum, 3)
        .mapToPair(p -> Pair.of(Arrays.toString(p.key().array()), p.value()))
        .collectAsMap();
    assertEquals(10, counts.size());
    assertEquals(expected, counts);
  }

  @Test
  void arrayKeysSortWithAnOrdering() {
    // sorting needs no hash: a byte[] key with a comparator is fine
    List<Pair<byte[], Long>> sorted = wc.parallelizePairs(byteKeys(), 4)
        .sortByKey(new ByteOrder(), true, 3).collect();
    assertEquals(1_000, sorted.size());
    for (int i = 1; i < sorted.size(); i++) {
      assertTrue(sorted.get(i - 1).key()[0] <= sorted.get(i).key()[0]);
    }
  }

  private static final class ByteOrder implements java.util.Comparator<byte[]>, java.io.Serializable {
    @Override
    public int compare(byte[] a, byte[] b) {
      return java.util.Arrays.compare(a, b);
    }
  }

  @Test
  void shuffleOperationsOnNoPartitionsReturnEmpty() throws Exception {
    Files.createDirectories(emptyDir);
    Dataset<String> none = wc.textFile(emptyDir.toString());
    assertEquals(0, none.getNumPartitions());
    PairDataset<String, Integer> pairs = none.mapToPair(s -> Pair.of(s, 1));
    assertEquals(List.of(), none.distinct().collect());
    assertEquals(List.of(), pairs.distinct().collect());
    assertEquals(Map.of(), none.countByValue());
    assertEquals(List.of(), pairs.reduceByKey(Integer::sum).collect());
    assertEquals(List.of(), pairs.groupByKey().collect());
    assertEquals(List.of(), pairs.foldByKey(0, Integer::sum).collect());
    assertEquals(List.of(), pairs.join(pairs).collect());
    assertEquals(List.of(), pairs.cogroup(pairs).collect());
    assertEquals(List.of(), pairs.sortByKey().collect());
    assertEquals(List.of(), pairs.sortByKey(false).collect());
    assertEquals(List.of(), none.sortBy(s -> s, true, 2).collect());
    assertEquals(List.of(), none.repartition(3).collect());
    assertEquals(List.of(), none.coalesce(2).collect());
    assertEquals(Map.of(), pairs.countByKey());
  }

  @Test
  void everyPartitionCountBelowOneIsRefusedAlike() {
    PairDataset<String, Integer> pairs = wc.parallelizePairs(List.of(Pair.of("a", 1), Pair.of("b", 2)), 2);
    List<Supplier<?>> refused = List.of(
        () -> pairs.sortByKey(true, 0), () -> pairs.sortByKey(true, -3), () -> pairs.sortByKey(false, 0),
        () -> pairs.map(Pair::key).sortBy(s -> s, true, 0),
        () -> pairs.reduceByKey(Integer::sum, 0), () -> pairs.groupByKey(-1), () -> pairs.join(pairs, 0),
        () -> pairs.distinct(0), () -> pairs.repartition(0), () -> pairs.coalesce(0));
    for (Supplier<?> op : refused) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, op::get);
      assertTrue(e.getMessage().matches("number of partitions must be positive, got -?\\d+"), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pairs.sortByKey(true, -3));
    assertEquals("number of partitions must be positive, got -3", e.getMessage());
  }
}
