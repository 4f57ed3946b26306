package io.weft.it.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.it.MiniClusterExtension;
import io.weft.it.apps.WaitsForRelease;
import io.weft.it.yarn.WeftOnYarn;
import io.weft.status.Json;
import io.weft.ui.HistoryServer;
import io.weft.yarn.client.YarnSubmission;
import io.weft.yarn.client.YarnSubmitter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.client.api.YarnClient;
import io.weft.executor.TaskMetrics;
import io.weft.scheduler.task.TaskLocality;
import io.weft.status.ListenerEvent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI on the embedded YARN: a two-stage job that waits half way (its reduce tasks wait for
 * a file the test creates) is watched through the tracking URL the client printed, which goes
 * through the ResourceManager's proxy to the AM; after the end, the history server shows the
 * same application from its event log on HDFS, and the ResourceManager links there.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class WebUiIT {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusterExtension.builder().withYarn(1).build();

  @TempDir
  static Path tmp;

  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** A submitted WaitsForRelease run: its id, the proxy URL the client printed, its exit code to come. */
  private record Running(ApplicationId appId, String url, CompletableFuture<Integer> exitCode, Path release,
      ByteArrayOutputStream out) {}

  private static Running submitSlowJob(YarnSubmitter submitter, HistoryServer history, String logDir,
      ByteArrayOutputStream out, String name) throws Exception {
    Path release = tmp.resolve("release-" + name);
    Map<String, String> settings = Map.ofEntries(Map.entry("weft.master", "yarn"), Map.entry("weft.app.name", name),
        Map.entry("weft.am.memory", "256m"), Map.entry("weft.yarn.report.interval", "250ms"),
        Map.entry("weft.executor.instances", "1"), Map.entry("weft.executor.memory", "384m"),
        Map.entry("weft.executor.memoryOverhead", "128m"), Map.entry("weft.executor.cores", "2"),
        Map.entry("weft.eventLog.dir", logDir), Map.entry("weft.yarn.historyServer.address", "localhost:" + history.port()));
    YarnSubmission s = new YarnSubmission(WaitsForRelease.class.getName(),
        WeftOnYarn.appJar(WaitsForRelease.class, tmp).toString(), List.of(), List.of(), List.of(release.toString()),
        settings, WeftOnYarn.weftJars());
    ApplicationId appId = submitter.submit(s);
    CompletableFuture<Integer> done = CompletableFuture.supplyAsync(() -> {
      try {
        return submitter.awaitCompletion(appId, s.conf());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    return new Running(appId, awaitPrintedProxyUrl(out, appId), done, release, out);
  }

  private static String logDir() throws Exception {
    return CLUSTER.fileSystem().makeQualified(new org.apache.hadoop.fs.Path("/weft-event-logs")).toString();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theTrackingUrlShowsTheLiveJobAndTheHistoryServerTheFinishedOne() throws Exception {
    String logDir = logDir();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (HistoryServer history = HistoryServer.start(CLUSTER.configuration(), logDir, 0);
        YarnSubmitter submitter = new YarnSubmitter(CLUSTER.configuration(),
            new PrintStream(out, true, StandardCharsets.UTF_8), System.err)) {
      Running run = submitSlowJob(submitter, history, logDir, out, "WebUiIT");
      ApplicationId appId = run.appId();
      try {
        String url = run.url();
        String api = url + "api/v1/applications/" + appId;
        // the map stage is done and the reduce stage runs (its tasks wait for the release file)
        Map<String, Object> job = awaitJson(api + "/jobs/0", j -> ((Number) j.get("numCompletedStages")).intValue() == 1
            && ((List<Map<String, Object>>) j.get("stages")).get(1).get("status").equals("ACTIVE"));
        List<Map<String, Object>> dag = (List<Map<String, Object>>) job.get("stages");
        assertEquals(List.of(((Number) dag.get(0).get("stageId")).longValue()), dag.get(1).get("parentIds"));
        assertTrue(dag.get(0).get("operations").toString().contains("mapToPair"), dag.toString());
        int mapStage = ((Number) dag.get(0).get("stageId")).intValue();
        Map<String, Object> tasks = (Map<String, Object>) getJson(api + "/stages/" + mapStage + "/tasks?offset=0&length=100");
        assertEquals(20L, tasks.get("total"));
        for (Map<String, Object> t : (List<Map<String, Object>>) tasks.get("tasks")) {
          assertEquals("SUCCESS", t.get("status"), t.toString());
          assertTrue(((Number) t.get("shuffleWriteBytes")).longValue() > 0, t.toString());
        }
        List<Map<String, Object>> executors = (List<Map<String, Object>>) getJson(api + "/executors");
        assertEquals(1, executors.size());
        assertTrue(String.valueOf(executors.get(0).get("logs")).contains("/node/containerlogs/container_"), executors.toString());
        Map<String, Object> env = (Map<String, Object>) getJson(api + "/environment");
        assertEquals("WebUiIT", ((Map<String, Object>) env.get("config")).get("weft.app.name"));
        assertTrue(get(url).contains("ui.js"), "the UI's page at the tracking URL");
        System.out.println("WebUiIT: live UI at " + url + " shows " + job);
      } finally {
        Files.createFile(run.release());
      }
      assertEquals(0, run.exitCode().get(3, TimeUnit.MINUTES), out.toString(StandardCharsets.UTF_8));
      assertHistoryShows(history, appId);
    }
  }

  /**
   * In headless Chromium: the tracking URL as printed shows the DAG and the map stage's task
   * table with real numbers while the job waits; the history server shows the same counts after.
   */
  @Test
  void theBrowserShowsTheLiveDagAndThenTheHistory() throws Exception {
    String why = Chrome.whyUnavailable();
    Assumptions.assumeTrue(why == null, why);
    String logDir = logDir();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Path target = Path.of(System.getProperty("user.dir"), "target");
    try (HistoryServer history = HistoryServer.start(CLUSTER.configuration(), logDir, 0);
        YarnSubmitter submitter = new YarnSubmitter(CLUSTER.configuration(),
            new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        Chrome chrome = Chrome.start(tmp)) {
      Running run = submitSlowJob(submitter, history, logDir, out, "WebUiBrowser");
      String liveTasks;
      try {
        // the AM is up and the map stage done (through the same proxy URL), then the browser
        awaitJson(run.url() + "api/v1/applications/" + run.appId() + "/jobs/0",
            j -> ((Number) j.get("numCompletedStages")).intValue() == 1);
        chrome.open(run.url() + "#/job/0");
        chrome.await("return document.querySelectorAll('#dag-svg .stage-box').length === 2"
            + " && document.querySelectorAll('#dag-svg .shuffle-edge').length === 1"
            + " && !!document.querySelector('#dag-svg .stage-box[data-status=COMPLETE]')"
            + " && !!document.querySelector('#dag-svg .stage-box[data-status=ACTIVE]');", 120_000);
        Object mapStage = chrome.eval("return document.querySelector('#dag-svg .stage-box[data-status=COMPLETE]').dataset.stage;");
        chrome.screenshot(target.resolve("webui-live-dag.png"));
        chrome.open(run.url() + "#/stage/" + mapStage);
        chrome.await("return document.getElementById('task-total') !== null"
            + " && document.getElementById('task-total').textContent === '20'"
            + " && document.querySelectorAll('#task-table td.SUCCESS').length === 20;", 60_000);
        liveTasks = (String) chrome.eval("return document.getElementById('task-total').textContent;");
        chrome.screenshot(target.resolve("webui-live-stage.png"));
      } finally {
        Files.createFile(run.release());
      }
      assertEquals(0, run.exitCode().get(3, TimeUnit.MINUTES), out.toString(StandardCharsets.UTF_8));
      String historyUrl = "http://localhost:" + history.port() + "/history/" + run.appId() + "/";
      chrome.open(historyUrl + "#/job/0");
      chrome.await("return document.querySelectorAll('#dag-svg .stage-box[data-status=COMPLETE]').length === 2;", 60_000);
      Object mapStage = chrome.eval("return document.querySelector('#dag-svg .stage-box').dataset.stage;");
      chrome.open(historyUrl + "#/stage/" + mapStage);
      chrome.await("return document.getElementById('task-total') !== null"
          + " && document.querySelectorAll('#task-table td.SUCCESS').length === 20;", 60_000);
      assertEquals(liveTasks, chrome.eval("return document.getElementById('task-total').textContent;"));
      chrome.screenshot(target.resolve("webui-history-stage.png"));
      System.out.println("WebUiIT: screenshots in " + target + " (webui-live-dag.png, webui-live-stage.png, webui-history-stage.png)");
    }
  }

  /** A stage of 100,000 tasks (a synthetic event log) opens page by page; the load time is printed. */
  @Test
  void aStageOfAHundredThousandTasksLoadsAPageAtATime() throws Exception {
    String why = Chrome.whyUnavailable();
    Assumptions.assumeTrue(why == null, why);
    int n = 100_000;
    String dir = tmp.resolve("big-logs").toUri().toString();
    try (io.weft.status.EventLogWriter log = io.weft.status.EventLogWriter.create(
        new org.apache.hadoop.conf.Configuration(), dir, "app-big", false)) {
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
    try (HistoryServer history = HistoryServer.start(new org.apache.hadoop.conf.Configuration(), dir, 0);
        Chrome chrome = Chrome.start(tmp)) {
      long t0 = System.nanoTime();
      get("http://localhost:" + history.port() + "/api/v1/applications"); // the server reads the log once
      long read = System.nanoTime();
      chrome.open("http://localhost:" + history.port() + "/history/app-big/#/stage/0?offset=50000");
      chrome.await("return document.getElementById('task-total') !== null"
          + " && document.getElementById('task-total').textContent === '100000'"
          + " && document.querySelectorAll('#task-table tr').length === 101;", 60_000);
      long shown = System.nanoTime();
      chrome.screenshot(Path.of(System.getProperty("user.dir"), "target", "webui-100k-stage.png"));
      System.out.printf("WebUiIT: 100k-task stage: history server read the log in %d ms; the stage page "
          + "(summary, timeline, tasks 50001-50100) rendered in the browser in %d ms%n",
          (read - t0) / 1_000_000, (shown - read) / 1_000_000);
    }
  }

  @SuppressWarnings("unchecked")
  private static void assertHistoryShows(HistoryServer history, ApplicationId appId) throws Exception {
    String base = "http://localhost:" + history.port();
    List<Map<String, Object>> apps = (List<Map<String, Object>>) getJson(base + "/api/v1/applications");
    Map<String, Object> app = apps.stream().filter(a -> appId.toString().equals(a.get("id"))).findFirst().orElseThrow();
    assertEquals(true, app.get("completed"), app.toString());
    assertEquals("WebUiIT", app.get("name"));
    String api = base + "/history/" + appId + "/api/v1/applications/" + appId;
    Map<String, Object> job = (Map<String, Object>) getJson(api + "/jobs/0");
    assertEquals("SUCCEEDED", job.get("status"));
    assertEquals(22L, job.get("numTasks"));
    assertEquals(22L, job.get("numCompletedTasks"));
    ApplicationReport report;
    try (YarnClient yarn = YarnClient.createYarnClient()) {
      yarn.init(CLUSTER.configuration());
      yarn.start();
      report = yarn.getApplicationReport(appId);
    }
    assertEquals(base + "/history/" + appId + "/", report.getOriginalTrackingUrl(),
        "the final tracking URL is the history server's page");
  }

  /** The last tracking URL the client printed that goes through the RM's proxy (bounded wait). */
  private static String awaitPrintedProxyUrl(ByteArrayOutputStream out, ApplicationId appId) throws Exception {
    Pattern p = Pattern.compile("Tracking URL: (\\S*/proxy/" + appId + "/?)");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      Matcher m = p.matcher(out.toString(StandardCharsets.UTF_8));
      String url = null;
      while (m.find()) {
        url = m.group(1);
      }
      if (url != null) {
        assertTrue(!url.contains(":0/"), "the tracking URL names a real port: " + url);
        return url.endsWith("/") ? url : url + "/";
      }
      assertTrue(System.nanoTime() < deadline, "no proxy tracking URL printed:\n" + out);
      Thread.sleep(100);
    }
  }

  /** Polls {@code url} until its JSON satisfies {@code ready}: the AM may not be up, or the job not there yet. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> awaitJson(String url, Predicate<Map<String, Object>> ready) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    String last = "";
    while (true) {
      HttpResponse<String> r;
      try {
        r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException notYet) {
        // before the AM registers, the proxy redirects to the RM's page of the application, whose
        // address on the embedded cluster still ends in :0 (docs/HADOOP-NOTES.md)
        last = notYet.toString();
        r = null;
      }
      if (r != null) {
        last = r.statusCode() + " " + r.body();
      }
      if (r != null && r.statusCode() == 200 && r.body().startsWith("{")) {
        Map<String, Object> json = (Map<String, Object>) Json.parse(r.body());
        if (ready.test(json)) {
          return json;
        }
      }
      assertTrue(System.nanoTime() < deadline, url + " never got ready; last answer: " + last);
      Thread.sleep(200);
    }
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return r.body();
  }

  private static Object getJson(String url) throws Exception {
    return Json.parse(get(url));
  }
}
