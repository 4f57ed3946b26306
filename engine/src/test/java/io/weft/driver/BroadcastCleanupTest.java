package io.weft.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Broadcast;
import io.weft.Pair;
import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.WeftContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Broadcast copies leave every executor (child JVMs: local-cluster) when the broadcast is
 * destroyed, unpersisted or garbage collected on the driver, and a destroyed broadcast cannot
 * be used again, with a message naming it. What an executor holds is asked of the executors
 * themselves, by tasks, until every executor has answered.
 */
@Timeout(180)
class BroadcastCleanupTest {
  private WeftContext wc;

  @BeforeEach
  void start() {
    wc = WeftContext.create(new WeftConf(false).setMaster("local-cluster[2,1,256]").setAppName("broadcast-cleanup")
        .set("weft.executor.registration.timeout", "60s"));
  }

  @AfterEach
  void stop() {
    wc.close();
  }

  @Test
  void destroyDropsEveryCopyAndLaterUsesFailNamingTheBroadcast() {
    Broadcast<int[]> b = wc.broadcast(IntStream.range(0, 1000).toArray());
    long id = b.id();
    assertEquals(IntStream.range(0, 1000).sum() * 8L, sumOnEveryExecutor(b), "each task summed the value");
    heldByExecutors().values().forEach(ids -> assertTrue(ids.contains(id), "each executor fetched it: " + ids));

    b.destroy(true);

    heldByExecutors().forEach((exec, ids) -> assertFalse(ids.contains(id), exec + " still holds " + id + ": " + ids));
    IllegalStateException onDriver = assertThrows(IllegalStateException.class, b::value);
    assertTrue(onDriver.getMessage().contains("Broadcast(" + id + ") was destroyed"), onDriver.getMessage());
    RuntimeException inAJob = assertThrows(RuntimeException.class, () -> sumOnEveryExecutor(b));
    assertTrue(causes(inAJob).contains("Broadcast(" + id + ") was destroyed"), causes(inAJob));
    RuntimeException byId = assertThrows(RuntimeException.class, () -> readById(id));
    assertTrue(causes(byId).contains("Broadcast(" + id + ") was destroyed"), causes(byId));
    assertEquals(45, wc.parallelize(IntStream.range(0, 10).boxed().toList(), 2).reduce(Integer::sum),
        "the context still runs jobs");
  }

  @Test
  void unpersistDropsTheExecutorsCopiesAndTheyFetchItAgain() {
    Broadcast<String> b = wc.broadcast("abc");
    assertEquals(3L * 8, lengthOnEveryExecutor(b));
    b.unpersist(true);
    heldByExecutors().forEach((exec, ids) -> assertFalse(ids.contains(b.id()), exec + " still holds it: " + ids));
    assertEquals(3L * 8, lengthOnEveryExecutor(b), "fetched again after unpersist");
    assertEquals("abc", b.value());
  }

  @Test
  void aCollectedBroadcastLeavesTheDriverAndEveryExecutor() throws Exception {
    long id = useAndDropABroadcast(wc);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (heldByExecutors().values().stream().anyMatch(ids -> ids.contains(id))) {
      assertTrue(System.nanoTime() < deadline, "executors still hold broadcast " + id + " after 60 s of GCs");
      System.gc();
      Thread.sleep(100); // waiting for the collector and the cleaner: the event is the copies going
    }
    // the driver dropped its copy before telling the executors: a task asking by id is refused
    RuntimeException byId = assertThrows(RuntimeException.class, () -> readById(id));
    assertTrue(causes(byId).contains("was destroyed"), causes(byId));
  }

  /** In its own frame, so nothing on the test's stack keeps the broadcast reachable. */
  private static long useAndDropABroadcast(WeftContext wc) {
    Broadcast<String> b = wc.broadcast("x".repeat(10_000));
    assertEquals(10_000L * 8, lengthOnEveryExecutor(wc, b));
    return b.id();
  }

  private long sumOnEveryExecutor(Broadcast<int[]> b) {
    return wc.parallelize(IntStream.range(0, 8).boxed().toList(), 8)
        .map(i -> (long) IntStream.of(b.value()).sum()).reduce(Long::sum);
  }

  private long lengthOnEveryExecutor(Broadcast<String> b) {
    return lengthOnEveryExecutor(wc, b);
  }

  private static long lengthOnEveryExecutor(WeftContext wc, Broadcast<String> b) {
    return wc.parallelize(IntStream.range(0, 8).boxed().toList(), 8).map(i -> (long) b.value().length())
        .reduce(Long::sum);
  }

  private void readById(long id) {
    wc.parallelize(List.of(1, 2), 2).map(i -> TaskContext.get().env().broadcastValue(id).hashCode()).collect();
  }

  /**
   * The broadcast ids each executor holds, asked by tasks until both executors answered (tasks
   * go to whichever slot is free, so one job need not reach both).
   */
  private Map<String, Set<Long>> heldByExecutors() {
    Map<String, Set<Long>> held = new HashMap<>();
    for (int round = 0; round < 20 && held.size() < 2; round++) {
      wc.parallelize(IntStream.range(0, 8).boxed().toList(), 8)
          .map(i -> Pair.of(TaskContext.get().env().executorId(), new java.util.TreeSet<>(TaskContext.get().env().broadcastIds())))
          .collect().forEach(p -> held.put(p.key(), p.value()));
    }
    assertEquals(2, held.size(), "both executors answered: " + held.keySet());
    return held;
  }

  private static String causes(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c).append(" <- ");
    }
    return sb.toString();
  }
}
