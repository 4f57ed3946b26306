package io.weft.io.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.TaskContext;
import io.weft.executor.ExecutorEnv;
import static io.weft.testing.TestingFiles.listing;

import io.weft.testing.TestingDriverEndpoint;
import io.weft.testing.TestingTasks;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives {@link HadoopCommitProtocol} by hand on the local file system: task and job commits, denials, aborts. */
class HadoopCommitProtocolTest {
  @TempDir Path tmp;

  private final Configuration conf = new Configuration();
  private final TestingDriverEndpoint driver = new TestingDriverEndpoint();
  private ExecutorEnv env;
  private Path out;
  private HadoopCommitProtocol protocol;

  @BeforeEach
  void setUp() throws IOException {
    env = TestingTasks.executorEnv(Files.createDirectories(tmp.resolve("exec")), driver);
    out = tmp.resolve("out");
    protocol = new HadoopCommitProtocol(HadoopCommitProtocol.newJobTrackerId(), 7, out.toUri().toString());
  }

  @Test
  void committedTasksAreInvisibleUntilJobCommitThenExactlyPartFilesAndSuccess() throws IOException {
    protocol.setupJob(conf);
    List<TaskCommitMessage> messages = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      messages.add(writeAndCommit(TestingTasks.task(env, p, 0), "data " + p));
    }
    assertEquals(List.of("_temporary"), listing(out), "v1: nothing visible before job commit");

    protocol.commitJob(conf, messages);

    assertEquals(List.of("_SUCCESS", "part-00000", "part-00001", "part-00002"), listing(out));
    assertEquals("data 1\n", Files.readString(out.resolve("part-00001")));
    assertEquals(List.of("part-00002"), messages.get(2).files());
    assertTrue(messages.get(2).taskAttemptId().endsWith("_0007_m_000002_0"), messages.get(2).taskAttemptId());
  }

  @Test
  void deniedDuplicateAttemptLeavesNoExtraData() throws IOException {
    protocol.setupJob(conf);
    TaskCommitMessage first = writeAndCommit(TestingTasks.task(env, 0, 0), "first");
    TaskContext duplicate = TestingTasks.task(env, 0, 1);

    assertThrows(CommitDeniedException.class, () -> writeAndCommit(duplicate, "duplicate"));
    protocol.commitJob(conf, List.of(first));

    assertEquals(List.of("_SUCCESS", "part-00000"), listing(out));
    assertEquals("first\n", Files.readString(out.resolve("part-00000")));
    assertEquals(List.of(true, false),
        driver.commitRequests().stream().map(TestingDriverEndpoint.CommitRequest::allowed).toList());
  }

  @Test
  void retriedStageAttemptsGetTheirOwnWorkDirectory() throws IOException {
    protocol.setupJob(conf);
    // Attempt 0 of stage attempt 1 must not reuse the work dir of attempt 0 of stage attempt 0.
    TaskAttemptCommitter a = protocol.setupTask(TestingTasks.task(env, 0, 0, 0, 0));
    TaskAttemptCommitter b = protocol.setupTask(TestingTasks.task(env, 0, 1, 0, 0));
    assertFalse(a.newTaskFile("f").equals(b.newTaskFile("f")));
  }

  @Test
  void abortJobRemovesEverythingTheJobWroteIncludingTheDirectoryItCreated() throws IOException {
    protocol.setupJob(conf);
    writeAndCommit(TestingTasks.task(env, 0, 0), "x");
    TaskAttemptCommitter uncommitted = protocol.setupTask(TestingTasks.task(env, 1, 0));
    write(uncommitted, 1, "y");

    protocol.abortJob(conf);

    assertFalse(Files.exists(out));
  }

  @Test
  void abortJobKeepsAPreExistingDirectoryAndItsOtherFiles() throws IOException {
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "not ours");
    protocol.setupJob(conf);
    TaskCommitMessage m = writeAndCommit(TestingTasks.task(env, 0, 0), "x");
    protocol.commitJob(conf, List.of(m)); // as if the job failed right after publishing

    protocol.abortJob(conf);

    assertEquals(List.of("keep.txt"), listing(out));
  }

  @Test
  void jobCommitRefusesAPartitionCommittedTwice() throws IOException {
    protocol.setupJob(conf);
    TaskCommitMessage m = writeAndCommit(TestingTasks.task(env, 0, 0), "x");

    assertThrows(IllegalStateException.class, () -> protocol.commitJob(conf, List.of(m, m)));
    assertEquals(List.of("_temporary"), listing(out));
  }

  private TaskCommitMessage writeAndCommit(TaskContext task, String line) throws IOException {
    TaskAttemptCommitter attempt = protocol.setupTask(task);
    write(attempt, task.partitionId(), line);
    return attempt.commit();
  }

  private static void write(TaskAttemptCommitter attempt, int partition, String line) throws IOException {
    org.apache.hadoop.fs.Path file = attempt.newTaskFile(HadoopCommitProtocol.partFileName(partition));
    try (OutputStream os = attempt.fileSystem().create(file, false)) {
      os.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
