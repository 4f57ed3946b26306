package io.weft.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Dataset;
import io.weft.StorageLevel;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.status.EventCodec;
import io.weft.status.Json;
import io.weft.status.ListenerEvent;
import io.weft.status.ListenerEvent.CachedNode;
import io.weft.status.ListenerEvent.ExecutorMemoryUpdated;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage endpoint and the executors' memory columns: over hand-made memory reports (sums
 * checked by hand), and over the reports real executors in child JVMs send with their heartbeats.
 */
@Timeout(180)
class StorageMemoryApiTest {
  @TempDir Path dir;

  @SuppressWarnings("unchecked")
  private static <T> T json(Object o) {
    return (T) Json.parse(Json.write(o)); // what a client sees
  }

  @Test
  void storageSumsTheLiveExecutorsLastReportsPerDataset() {
    AppStatusStore store = new AppStatusStore(() -> 10_000);
    List<ListenerEvent> events = List.of(
        new ListenerEvent.ApplicationStarted("app-3", "cache", "alice", "local-cluster", 1_000),
        new ListenerEvent.ExecutorAdded("1", "host-a", 1, 1_001),
        new ListenerEvent.ExecutorAdded("2", "host-b", 1, 1_001),
        new ListenerEvent.ExecutorAdded("3", "host-c", 1, 1_001),
        new ExecutorMemoryUpdated("1", 4_000, 3_000, 500, 90_000, 500_000,
            List.of(new CachedNode(7, "MEMORY_AND_DISK", 3, 0, 3_000, 0)), 2_000),
        // executor 1's newer report replaces the older one
        new ExecutorMemoryUpdated("1", 4_000, 2_000, 0, 80_000, 500_000,
            List.of(new CachedNode(7, "MEMORY_AND_DISK", 2, 5, 2_000, 7_500)), 3_000),
        new ExecutorMemoryUpdated("2", 4_000, 1_000, 1_500, 70_000, 500_000,
            List.of(new CachedNode(7, "MEMORY_AND_DISK", 1, 4, 1_000, 6_000),
                new CachedNode(9, "MEMORY_ONLY", 2, 0, 250, 0)), 3_000),
        // a removed executor's blocks are gone with it
        new ExecutorMemoryUpdated("3", 4_000, 4_000, 0, 70_000, 500_000,
            List.of(new CachedNode(7, "MEMORY_AND_DISK", 4, 0, 4_000, 0)), 3_000),
        new ListenerEvent.ExecutorRemoved("3", "lost", 3_500));
    for (ListenerEvent e : events) {
      // what the history server reads back from the event log is what was posted
      assertEquals(e, EventCodec.fromJson(EventCodec.toJson(e)));
      store.onEvent(e);
    }
    UiHandler api = new UiHandler(store, id -> null);

    List<Map<String, Object>> storage = json(api.api("/app-3/storage", Map.of()));
    assertEquals(2, storage.size());
    Map<String, Object> seven = storage.get(0);
    assertEquals(7L, seven.get("id"));
    assertEquals("MEMORY_AND_DISK", seven.get("storageLevel"));
    assertEquals(3L, seven.get("partitionsInMemory"));
    assertEquals(9L, seven.get("partitionsOnDisk"));
    assertEquals(3_000L, seven.get("memoryUsed"));
    assertEquals(13_500L, seven.get("diskUsed"));
    assertEquals(List.of("1", "2"), seven.get("executors"));
    assertEquals(9L, storage.get(1).get("id"));
    assertEquals("MEMORY_ONLY", storage.get(1).get("storageLevel"));

    List<Map<String, Object>> executors = json(api.api("/app-3/executors", Map.of()));
    Map<String, Object> one = executors.get(0);
    assertEquals(4_000L, one.get("memoryPool"));
    assertEquals(2_000L, one.get("storageMemoryUsed"));
    assertEquals(0L, one.get("executionMemoryUsed"));
    assertEquals(80_000L, one.get("heapUsed"));
    assertEquals(500_000L, one.get("maxHeap"));
    assertEquals(1_500L, executors.get(1).get("executionMemoryUsed"));
  }

  @Test
  void anExecutorThatNeverReportedShowsNoMemory() {
    AppStatusStore store = new AppStatusStore(() -> 10_000);
    store.onEvent(new ListenerEvent.ApplicationStarted("app-4", "x", "bob", "yarn", 1_000));
    store.onEvent(new ListenerEvent.ExecutorAdded("1", "host-a", 1, 1_001));
    List<Map<String, Object>> executors = json(new UiHandler(store, id -> null).api("/app-4/executors", Map.of()));
    assertEquals(-1L, executors.get(0).get("memoryPool"));
    assertEquals(List.of(), json(new UiHandler(store, id -> null).api("/app-4/storage", Map.of())));
  }

  /**
   * Executors in their own JVMs with a 4 MiB pool cache 16 partitions of about 1 MiB each
   * MEMORY_AND_DISK; their heartbeats bring the Storage view every partition, split between
   * memory and disk, with the pool they were given.
   */
  @Test
  void heartbeatsBringTheExecutorsCachedDatasetsAndMemory() throws Exception {
    AppStatusStore store = new AppStatusStore();
    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local-cluster[2,1,512]")
        .setAppName("storage-view").set("weft.local.dir", dir.resolve("local").toString())
        .set("weft.executor.registration.timeout", "60s").set("weft.executor.heartbeatInterval", "300ms")
        .set("weft.memory.size", "4m").set("weft.app.id", "app-live"))) {
      // the store joins after the application started: the bus replays the start events to it
      wc.addListener(store);
      String app = "/app-live";
      Dataset<String> rows = wc.parallelize(IntStream.range(0, 16).boxed().toList(), 16)
          .flatMap(p -> {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < 8_000; i++) {
              out.add(p + "/" + i + "/" + "x".repeat(60));
            }
            return out.iterator();
          })
          .persist(StorageLevel.MEMORY_AND_DISK);
      assertEquals(16 * 8_000L, rows.count());
      UiHandler api = new UiHandler(store, id -> null);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      Map<String, Object> cached = null;
      while (cached == null) {
        assertTrue(System.nanoTime() < deadline, "no heartbeat reported all 16 cached partitions in 60 s: "
            + Json.write(api.api(app + "/storage", Map.of())));
        List<Map<String, Object>> storage = json(api.api(app + "/storage", Map.of()));
        if (storage.size() == 1 && (long) storage.get(0).get("partitionsInMemory")
            + (long) storage.get(0).get("partitionsOnDisk") == 16) {
          cached = storage.get(0);
        } else {
          Thread.sleep(50); // the event is the next heartbeat's report reaching the store
        }
      }
      assertEquals((long) rows.node().id(), cached.get("id"));
      assertEquals("MEMORY_AND_DISK", cached.get("storageLevel"));
      assertTrue((long) cached.get("partitionsInMemory") > 0, "some partitions fit the 4 MiB pools: " + cached);
      assertTrue((long) cached.get("partitionsOnDisk") > 0, "the rest went to disk: " + cached);
      assertTrue((long) cached.get("memoryUsed") <= 2 * (4L << 20), "within the two pools: " + cached);
      assertTrue((long) cached.get("diskUsed") > 0);
      List<Map<String, Object>> executors = json(api.api(app + "/executors", Map.of()));
      for (Map<String, Object> e : executors) {
        assertEquals(4L << 20, e.get("memoryPool"), "each executor reported its pool: " + e);
        assertTrue((long) e.get("storageMemoryUsed") <= 4L << 20, e.toString());
        assertTrue((long) e.get("maxHeap") > 0, e.toString());
      }
    }
  }
}
