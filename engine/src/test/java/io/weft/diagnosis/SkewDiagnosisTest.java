package io.weft.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.HashPartitioner;
import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.status.ListenerEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The diagnosis in local-cluster mode (map tasks' sketches cross JVMs with their metrics): a job
 * where one key holds half the records is flagged as skewed, naming the partition plain Java
 * computes for that key and the key itself; a balanced job over the same number of records gets
 * no finding.
 */
@Timeout(180)
class SkewDiagnosisTest {
  private static final int RECORDS = 200_000;
  private static final int PARTITIONS = 8;

  private WeftContext wc;
  private final List<ListenerEvent.StageDiagnosed> diagnosed = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    wc = WeftContext.create(new WeftConf(false).setMaster("local-cluster[2,1,512]").setAppName("skew")
        .set("weft.executor.registration.timeout", "60s"));
    wc.addListener(e -> {
      if (e instanceof ListenerEvent.StageDiagnosed d) {
        diagnosed.add(d);
      }
    });
  }

  @AfterEach
  void stop() {
    wc.close();
  }

  @Test
  void oneKeyHoldingHalfTheRecordsIsFlaggedByName() {
    Map<String, Integer> sizes = groupSizes(i -> i % 2 == 0 ? "hot" : "k" + (i % 5000));
    assertEquals(RECORDS / 2, sizes.get("hot"));

    int hotPartition = new HashPartitioner(PARTITIONS).partitionFor("hot");
    List<String> skew = findings().stream().filter(f -> f.startsWith("skew:")).toList();
    assertEquals(1, skew.size(), "one skewed stage, the reduce side: " + findings());
    assertTrue(skew.get(0).startsWith("skew: partition " + hotPartition + " read "), skew.get(0));
    assertTrue(skew.get(0).contains("heaviest keys: 'hot' (~"), skew.get(0));
  }

  @Test
  void aBalancedJobIsNotFlagged() {
    Map<String, Integer> sizes = groupSizes(i -> "k" + (i % 5000));
    assertEquals(5000, sizes.size());
    assertEquals(2, diagnosed.size(), "both stages were diagnosed: " + diagnosed);
    assertEquals(List.of(), findings());
  }

  /** Groups RECORDS records by {@code key} and returns each group's size; checks it against plain Java. */
  private Map<String, Integer> groupSizes(io.weft.function.Fn<Integer, String> key) {
    Map<String, Integer> got = new TreeMap<>(wc.parallelize(IntStream.range(0, RECORDS).boxed().toList(), PARTITIONS)
        .mapToPair(i -> Pair.of(key.call(i), i)).groupByKey(PARTITIONS)
        .mapValues(values -> { int n = 0; for (Integer ignored : values) { n++; } return n; }).collectAsMap());
    Map<String, Integer> expected = new TreeMap<>();
    for (int i = 0; i < RECORDS; i++) {
      try {
        expected.merge(key.call(i), 1, Integer::sum);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    assertEquals(expected, got);
    assertTrue(wc.listenerBus().waitUntilEmpty(30_000), "listener bus drained");
    assertFalse(diagnosed.isEmpty(), "stages were diagnosed");
    return got;
  }

  private List<String> findings() {
    synchronized (diagnosed) {
      return diagnosed.stream().flatMap(d -> d.findings().stream()).toList();
    }
  }
}
