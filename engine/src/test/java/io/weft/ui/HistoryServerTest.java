package io.weft.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.config.UiOptions;
import io.weft.executor.TaskMetrics;
import io.weft.scheduler.task.TaskLocality;
import io.weft.status.EventLogWriter;
import io.weft.status.Json;
import io.weft.status.ListenerEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(180)
class HistoryServerTest {
  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private String get(int port, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return r.body();
  }

  /** The history server's JSON of a finished application equals what the live store served at its end. */
  @Test
  void historyServesWhatTheLiveUiServedAtTheEnd() throws Exception {
    String logDir = dir.resolve("logs").toUri().toString();
    AppStatusStore live = new AppStatusStore();
    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster("local-cluster[2,1,256]").setAppName("hist")
        .set(UiOptions.EVENT_LOG_ENABLED.key(), "true").set(UiOptions.EVENT_LOG_DIR.key(), logDir))) {
      wc.addListener(live);
      List<Integer> data = IntStream.range(0, 500).boxed().collect(Collectors.toList());
      List<Pair<Integer, Long>> counts = wc.parallelize(data, 5).mapToPair(i -> new Pair<>(i % 3, 1L))
          .reduceByKey(Long::sum, 2).collect();
      assertEquals(3, counts.size());
    }
    try (HistoryServer history = HistoryServer.start(new Configuration(), logDir, 0)) {
      int port = history.port();
      List<Map<String, Object>> apps = (List<Map<String, Object>>) Json.parse(get(port, "/api/v1/applications"));
      assertEquals(1, apps.size());
      assertEquals("hist", apps.get(0).get("name"));
      assertEquals(true, apps.get(0).get("completed"));
      String id = (String) apps.get(0).get("id");
      assertEquals("history/" + id + "/", apps.get(0).get("link"));
      // the live store joined the bus after the context started: the bus gave it the
      // application's start, environment and executors, so everything compares
      UiHandler liveApi = new UiHandler(live, x -> null);
      String base = "/history/" + id + "/api/v1/applications/" + id;
      for (String path : List.of("", "/executors", "/environment", "/jobs", "/jobs/0", "/stages", "/stages/0",
          "/stages/1/tasks?offset=0&length=10")) {
        String[] pq = path.split("\\?");
        Map<String, String> query = pq.length > 1 ? UiHandler.query(URI.create("x?" + pq[1])) : Map.of();
        assertEquals(Json.write(liveApi.api("/" + id + pq[0], query)), get(port, base + path), path);
      }
      Map<String, Object> stage1 = (Map<String, Object>) Json.parse(get(port, base + "/stages/1"));
      assertEquals(2L, stage1.get("numCompleteTasks"));
      assertTrue(get(port, "/history/" + id + "/").contains("ui.js"), "the pages are served under the app's path");
      assertTrue(get(port, "/history/" + id + "/ui.js").contains("dagSvg"));
    }
  }

  /** A stage of 100,000 tasks: a page of its tasks and its summary come back fast. */
  @Test
  void aStageOfAHundredThousandTasksIsServedAPageAtATime() throws Exception {
    int n = 100_000;
    String logDir = dir.resolve("big").toUri().toString();
    try (EventLogWriter log = EventLogWriter.create(new Configuration(), logDir, "app-big", true)) {
      log.onEvent(new ListenerEvent.ApplicationStarted("app-big", "big", "bob", "yarn", 1));
      log.onEvent(new ListenerEvent.JobStarted(0, List.of(0), "count", 1));
      log.onEvent(new ListenerEvent.JobPlanned(0, List.of(new ListenerEvent.StageInfo(0, "s", n, List.of(), List.of("op"), false)), 1));
      log.onEvent(new ListenerEvent.StageSubmitted(0, 0, "s", n, 1));
      for (int i = 0; i < n; i++) {
        log.onEvent(new ListenerEvent.TaskStarted(0, 0, i, i, 0, "1", "h", TaskLocality.ANY, 10 + i));
        TaskMetrics m = new TaskMetrics();
        m.addInput(i, i);
        log.onEvent(new ListenerEvent.TaskEnded(0, 0, i, i, "1", true, null, m, 20 + 2L * i, TaskLocality.ANY));
      }
      log.onEvent(new ListenerEvent.StageCompleted(0, 0, null, 300_000));
      log.onEvent(new ListenerEvent.JobEnded(0, true, null, 300_000));
      log.onEvent(new ListenerEvent.ApplicationEnded(300_001));
    }
    try (HistoryServer history = HistoryServer.start(new Configuration(), logDir, 0)) {
      long t0 = System.nanoTime();
      get(history.port(), "/api/v1/applications"); // loads the log
      long loaded = System.nanoTime();
      String base = "/history/app-big/api/v1/applications/app-big/stages/0";
      Map<String, Object> page = (Map<String, Object>) Json.parse(get(history.port(), base + "/tasks?offset=99900&length=100"));
      Map<String, Object> stage = (Map<String, Object>) Json.parse(get(history.port(), base));
      long served = System.nanoTime();
      assertEquals((long) n, page.get("total"));
      assertEquals(99_900L, ((List<Map<String, Object>>) page.get("tasks")).get(0).get("taskId"));
      assertEquals((long) n, stage.get("numCompleteTasks"));
      System.out.printf("100k-task stage: event log loaded in %d ms; last page + summary served in %d ms%n",
          (loaded - t0) / 1_000_000, (served - loaded) / 1_000_000);
    }
  }
}
