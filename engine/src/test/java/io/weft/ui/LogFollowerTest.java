package io.weft.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.weft.status.EventCodec;
import io.weft.status.ListenerEvent;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history server reads a growing log on from where it stopped, not again from the start. */
class LogFollowerTest {
  @TempDir
  java.nio.file.Path dir;

  private final Configuration conf = new Configuration();

  private static byte[] lines(ListenerEvent... events) {
    StringBuilder b = new StringBuilder();
    for (ListenerEvent e : events) {
      b.append(EventCodec.toJson(e)).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private FileStatus status(java.nio.file.Path file) throws IOException {
    Path p = new Path(file.toUri());
    return FileSystem.get(p.toUri(), conf).getFileStatus(p);
  }

  @Test
  void aGrowingLogIsReadFromItsLastCompleteLineOnAndFollowedThroughItsRename() throws Exception {
    java.nio.file.Path log = dir.resolve("app-1.inprogress");
    byte[] first = lines(new ListenerEvent.ApplicationStarted("app-1", "grow", "alice", "yarn", 1_000),
        new ListenerEvent.JobStarted(0, List.of(0), "job 0", 1_001));
    Files.write(log, first);
    LogFollower follower = new LogFollower(conf);
    AppStatusStore store = follower.update(status(log));
    assertEquals("app-1", store.appId());
    assertEquals(1, store.jobs().size());
    assertEquals(first.length, follower.offset());

    // half a line: being written, so not read yet
    byte[] jobEnded = lines(new ListenerEvent.JobEnded(0, true, null, 1_500));
    Files.write(log, java.util.Arrays.copyOf(jobEnded, 10), StandardOpenOption.APPEND);
    assertSame(store, follower.update(status(log)));
    assertEquals("RUNNING", store.job(0).get("status"));
    assertEquals(first.length, follower.offset());

    // spoil the bytes already read: a reader that started over would stop at once
    try (RandomAccessFile raf = new RandomAccessFile(log.toFile(), "rw")) {
      raf.write("#".repeat(20).getBytes(StandardCharsets.UTF_8));
    }
    byte[] rest = lines(new ListenerEvent.JobStarted(1, List.of(1), "job 1", 1_600));
    Files.write(log, java.util.Arrays.copyOfRange(jobEnded, 10, jobEnded.length), StandardOpenOption.APPEND);
    Files.write(log, rest, StandardOpenOption.APPEND);
    assertSame(store, follower.update(status(log)));
    assertEquals("SUCCEEDED", store.job(0).get("status"));
    assertEquals(2, store.jobs().size());
    assertEquals(first.length + jobEnded.length + rest.length, follower.offset());

    // the application ends: its log is renamed and grows by the end event
    java.nio.file.Path done = Files.move(log, dir.resolve("app-1"));
    Files.write(done, lines(new ListenerEvent.ApplicationEnded(2_000)), StandardOpenOption.APPEND);
    assertSame(store, follower.update(status(done)));
    assertEquals(true, store.application().get("completed"));
    assertEquals(1_000L, store.application().get("duration"));
  }

  @Test
  void aLogThatShrankIsReadAgain() throws Exception {
    java.nio.file.Path log = dir.resolve("app-2.inprogress");
    Files.write(log, lines(new ListenerEvent.ApplicationStarted("app-2", "x", "bob", "yarn", 1),
        new ListenerEvent.JobStarted(0, List.of(0), "job 0", 2), new ListenerEvent.JobStarted(1, List.of(1), "job 1", 3)));
    LogFollower follower = new LogFollower(conf);
    assertEquals(2, follower.update(status(log)).jobs().size());
    Files.write(log, lines(new ListenerEvent.ApplicationStarted("app-2", "x", "bob", "yarn", 1)));
    assertEquals(0, follower.update(status(log)).jobs().size());
  }
}
