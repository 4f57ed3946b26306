package io.weft.io.commit;

import io.weft.TaskContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task attempt's side of {@link HadoopCommitProtocol}: hands out files in the attempt's
 * private work directory, then either commits them (after the driver allowed it) or discards
 * them.
 *
 * <p>Threading: used by the one task thread that created it. Failure: {@link #commit} throws
 * {@link CommitDeniedException} when another attempt won the partition, having discarded this
 * attempt's files first; {@link #abort} never throws, so it is safe in a failure path.
 */
public final class TaskAttemptCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(TaskAttemptCommitter.class);

  private final TaskContext task;
  private final TaskAttemptContext context;
  private final FileOutputCommitter committer;
  private final List<String> files = new ArrayList<>();

  TaskAttemptCommitter(TaskContext task, TaskAttemptContext context, FileOutputCommitter committer) {
    this.task = task;
    this.context = context;
    this.committer = committer;
  }

  /** The file system of the output directory (cached by Hadoop: do not close it). */
  public FileSystem fileSystem() throws IOException {
    return committer.getWorkPath().getFileSystem(context.getConfiguration());
  }

  /**
   * The attempt's Hadoop context (output directory and attempt id set), for a Hadoop
   * {@code FileOutputFormat} to write its files into this attempt's work directory itself.
   */
  public TaskAttemptContext hadoopContext() {
    return context;
  }

  /** Where this attempt writes the file that will be published as {@code <out>/name}. */
  public Path newTaskFile(String name) throws IOException {
    files.add(name);
    return new Path(committer.getWorkPath(), name);
  }

  /**
   * Asks the driver whether this attempt may commit and, if so, commits its files.
   *
   * @throws CommitDeniedException if another attempt of the partition commits instead
   */
  public TaskCommitMessage commit() throws IOException {
    TaskCommitMessage message =
        new TaskCommitMessage(task.partitionId(), context.getTaskAttemptID().toString(), files);
    if (!committer.needsTaskCommit(context)) {
      // Nothing was written: there is nothing to publish and nothing to arbitrate.
      return message;
    }
    boolean allowed = task.env().driver().canCommit(task.stageId(), task.stageAttemptNumber(),
        task.partitionId(), task.attemptNumber());
    if (!allowed) {
      abort();
      throw new CommitDeniedException(task.stageId(), task.stageAttemptNumber(), task.partitionId(),
          task.attemptNumber());
    }
    committer.commitTask(context);
    LOG.debug("Committed {} ({})", context.getTaskAttemptID(), files);
    return message;
  }

  /** Discards this attempt's files; best effort, never throws. */
  public void abort() {
    try {
      committer.abortTask(context);
    } catch (IOException | RuntimeException e) {
      // The files stay under _temporary, which job commit or abort deletes anyway.
      LOG.warn("Could not discard the output of {}", context.getTaskAttemptID(), e);
    }
  }
}
