package io.weft.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import io.weft.WeftConf;
import io.weft.WeftContext;
import io.weft.config.UiOptions;
import io.weft.executor.TaskMetrics;
import io.weft.scheduler.task.TaskLocality;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(120)
class EventLogTest {
  @TempDir
  Path dir;

  static List<ListenerEvent> oneOfEach() {
    TaskMetrics m = new TaskMetrics();
    m.addInput(10, 100);
    m.addShuffleWrite(3, 30);
    m.addSpill(7);
    m.setGcTimeMs(5);
    m.addFetchWaitNanos(2_000_000);
    m.addOutput(4, 40);
    m.setRunTimeMs(9);
    return List.of(
        new ListenerEvent.ApplicationStarted("app-1", "name \"quoted\" <b>", "alice", "yarn", 1),
        new ListenerEvent.EnvironmentUpdated(Map.of("Java version", "17"), Map.of("weft.a", "x\ny"), 2),
        new ListenerEvent.JobStarted(0, List.of(0, 1), "count at X.java:3", 3),
        new ListenerEvent.JobPlanned(0, List.of(
            new ListenerEvent.StageInfo(0, "MapPartitionsNode[1]", 4, List.of(), List.of("A", "B"), true),
            new ListenerEvent.StageInfo(1, "ShuffledNode[2]", 2, List.of(0), List.of("C"), false)), 3),
        new ListenerEvent.StageSubmitted(0, 0, "MapPartitionsNode[1]", 4, 4),
        new ListenerEvent.TaskStarted(0, 0, 7, 3, 1, "exec-1", "host-a", TaskLocality.NODE_LOCAL, 5),
        new ListenerEvent.TaskEnded(0, 0, 7, 3, "exec-1", true, null, m, 6, TaskLocality.NODE_LOCAL),
        new ListenerEvent.TaskEnded(0, 0, 8, 2, "exec-1", false, "boom", null, 6, null),
        new ListenerEvent.StageCompleted(0, 0, null, 7),
        new ListenerEvent.StageDiagnosed(0, 0, List.of("skew: partition 3 took 9 ms"), 7),
        new ListenerEvent.JobEnded(0, true, null, 8),
        new ListenerEvent.ExecutorAdded("exec-1", "host-a", 2, 1),
        new ListenerEvent.ExecutorMemoryUpdated("exec-1", 4_000, 1_000, 500, 90_000, 500_000,
            List.of(new ListenerEvent.CachedNode(7, "MEMORY_AND_DISK", 2, 1, 1_000, 700)), 8),
        new ListenerEvent.ExecutorRemoved("exec-1", "lost", 9),
        new ListenerEvent.ExecutorExcluded("exec-1", "host-a", "failures", 20, 9),
        new ListenerEvent.HostExcluded("host-a", "failures", 20, 9),
        new ListenerEvent.ExclusionEnded("exec-1", null, 21),
        new ListenerEvent.ApplicationEnded(22));
  }

  /** Records compare by value; TaskMetrics does not, so events are compared through their JSON. */
  private static List<String> json(List<ListenerEvent> events) {
    return events.stream().map(EventCodec::toJson).collect(Collectors.toList());
  }

  @Test
  void everyEventTypeRoundTripsThroughItsJsonLine() {
    List<ListenerEvent> events = oneOfEach();
    assertEquals(ListenerEvent.class.getPermittedSubclasses().length,
        events.stream().map(Object::getClass).distinct().count(), "one of each event type");
    for (ListenerEvent e : events) {
      String line = EventCodec.toJson(e);
      assertFalse(line.contains("\n"), line);
      ListenerEvent back = EventCodec.fromJson(line);
      assertEquals(e.getClass(), back.getClass());
      assertEquals(line, EventCodec.toJson(back));
    }
    ListenerEvent.TaskEnded ended = (ListenerEvent.TaskEnded) EventCodec.fromJson(EventCodec.toJson(events.get(6)));
    assertEquals(100, ended.metrics().inputBytes());
    assertEquals(5, ended.metrics().gcTimeMs());
    assertEquals(40, ended.metrics().outputBytes());
  }

  @Test
  void anUnknownEventTypeIsSkippedNotFatal() {
    assertEquals(null, EventCodec.fromJson("{\"Event\":\"SomethingNew\",\"x\":1}"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aLogCutMidLineLoadsUpToItsLastCompleteEvent(boolean gzip) throws Exception {
    List<ListenerEvent> events = oneOfEach();
    StringBuilder text = new StringBuilder();
    for (ListenerEvent e : events) {
      text.append(EventCodec.toJson(e)).append('\n');
    }
    String lastLine = EventCodec.toJson(events.get(events.size() - 1));
    // cut in the middle of the last line: what a killed driver leaves
    String cut = text.substring(0, text.length() - lastLine.length() / 2);
    byte[] bytes = cut.getBytes(StandardCharsets.UTF_8);
    if (gzip) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      try (GZIPOutputStream z = new GZIPOutputStream(b, true)) {
        z.write(bytes);
        z.flush(); // sync flush, as the writer does; the stream is then cut before its trailer
        byte[] flushed = b.toByteArray();
        bytes = java.util.Arrays.copyOf(flushed, flushed.length);
      }
    }
    EventLogReader.Loaded loaded = EventLogReader.read(new ByteArrayInputStream(bytes), gzip);
    assertTrue(loaded.truncated());
    assertEquals(json(events.subList(0, events.size() - 1)), json(loaded.events()));
  }

  @Test
  void redactionHidesSecretsByKeyAndKeepsTheRest() {
    Map<String, String> settings = new HashMap<>();
    settings.put("weft.app.name", "wc");
    settings.put("fs.s3a.secret.key", "s3cr3t");
    settings.put("weft.auth.PASSWORD", "pw");
    settings.put("weft.token.file", "t");
    Map<String, String> shown = ApplicationEvents.redact(settings,
        Pattern.compile(UiOptions.REDACTION_REGEX.defaultValue()));
    assertEquals("wc", shown.get("weft.app.name"));
    assertEquals(ApplicationEvents.REDACTED, shown.get("fs.s3a.secret.key"));
    assertEquals(ApplicationEvents.REDACTED, shown.get("weft.auth.PASSWORD"));
    assertEquals(ApplicationEvents.REDACTED, shown.get("weft.token.file"));
  }

  /** A two-stage job across JVMs: the log holds its DAG and one start and one end per task. */
  @ParameterizedTest
  @ValueSource(strings = {"local[2]", "local-cluster[2,1,256]"})
  void aContextWritesItsEventsToTheLog(String master) throws Exception {
    File logDir = dir.resolve("logs-" + master.length()).toFile();
    Map<Integer, Long> expected = IntStream.range(0, 1000).boxed()
        .collect(Collectors.groupingBy(i -> i % 7, Collectors.counting()));
    List<Pair<Integer, Long>> counts;
    try (WeftContext wc = WeftContext.create(new WeftConf(false).setMaster(master).setAppName("evlog")
        .set(UiOptions.EVENT_LOG_ENABLED.key(), "true").set(UiOptions.EVENT_LOG_DIR.key(), logDir.toURI().toString())
        .set("weft.my.password", "hunter2"))) {
      List<Integer> data = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
      counts = wc.parallelize(data, 4).mapToPair(i -> new Pair<>(i % 7, 1L)).reduceByKey(Long::sum, 3).collect();
    }
    assertEquals(expected, counts.stream().collect(Collectors.toMap(Pair::key, Pair::value)));
    File[] files = logDir.listFiles((d, n) -> !n.startsWith("."));
    assertEquals(1, files.length, "one finished log, no .inprogress left: " + List.of(files));
    assertTrue(files[0].getName().startsWith("local-"), files[0].getName());
    String text = Files.readString(files[0].toPath());
    assertFalse(text.contains("hunter2"), "secrets are redacted in the log");
    EventLogReader.Loaded loaded = EventLogReader.read(new Configuration(),
        new org.apache.hadoop.fs.Path(files[0].toURI()));
    assertFalse(loaded.truncated());
    List<ListenerEvent> events = loaded.events();
    assertTrue(events.get(0) instanceof ListenerEvent.ApplicationStarted);
    assertTrue(events.get(events.size() - 1) instanceof ListenerEvent.ApplicationEnded);
    ListenerEvent.JobPlanned plan = (ListenerEvent.JobPlanned) events.stream()
        .filter(e -> e instanceof ListenerEvent.JobPlanned).findFirst().orElseThrow();
    assertEquals(2, plan.stages().size());
    ListenerEvent.StageInfo map = plan.stages().get(0);
    ListenerEvent.StageInfo reduce = plan.stages().get(1);
    assertEquals(4, map.numTasks());
    assertEquals(3, reduce.numTasks());
    assertEquals(List.of(map.stageId()), reduce.parentIds());
    assertTrue(map.shuffleMap() && !reduce.shuffleMap());
    assertTrue(map.operations().stream().anyMatch(o -> o.contains("mapToPair")), map.operations().toString());
    List<Long> started = new ArrayList<>();
    List<Long> ended = new ArrayList<>();
    long shuffleRead = 0;
    for (ListenerEvent e : events) {
      if (e instanceof ListenerEvent.TaskStarted s) {
        started.add(s.taskId());
      } else if (e instanceof ListenerEvent.TaskEnded t) {
        ended.add(t.taskId());
        shuffleRead += t.metrics().shuffleReadRecords();
      }
    }
    assertEquals(7, started.size());
    assertEquals(new java.util.TreeSet<>(started), new java.util.TreeSet<>(ended));
    // map-side combine: each of 4 map tasks sends at most one record per key
    assertTrue(shuffleRead >= 7 && shuffleRead <= 28, "shuffle records read " + shuffleRead);
  }
}
