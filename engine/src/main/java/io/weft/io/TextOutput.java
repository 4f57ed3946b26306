package io.weft.io;

import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.function.Fn;
import io.weft.io.commit.HadoopCommitProtocol;
import io.weft.io.commit.TaskAttemptCommitter;
import io.weft.plan.Node;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Saves a node as text files, one line per record, through {@link CommittedOutput}: the output
 * directory then holds {@code part-00000 ...} (one per partition, UTF-8, each line ended by
 * {@code '\n'}) and {@code _SUCCESS}, or, if the job failed, nothing at all.
 *
 * <p>Threading: {@code saveAsTextFile} blocks the calling driver thread until the job ends.
 */
public final class TextOutput {
  private TextOutput() {}

  /**
   * Runs a job that writes {@code node} to directory {@code path}, formatting each record with
   * {@code format} (a null result is written as {@code "null"}).
   *
   * @throws OutputAlreadyExistsException if {@code path} exists, before any task runs
   */
  public static <T> void saveAsTextFile(WeftContext ctx, Node<T> node, String path, Fn<T, String> format) {
    CommittedOutput.save(ctx::runJob, ctx.hadoopConfiguration(), ctx.recovery(), node, path, lines(format));
  }

  /** {@link #saveAsTextFile} with the job runner and driver configuration passed in. */
  static <T> void save(CommittedOutput.JobRunner runner, Configuration conf, Node<T> node, String path,
      Fn<T, String> format) {
    CommittedOutput.save(runner, conf, node, path, lines(format));
  }

  /** A static method so the writer captures only {@code format}. */
  private static <T> CommittedOutput.PartitionWriter<T> lines(Fn<T, String> format) {
    return (attempt, task, records) -> writeLines(attempt, task, records, format);
  }

  private static <T> void writeLines(TaskAttemptCommitter attempt, TaskContext task, Iterator<T> records,
      Fn<T, String> format) throws Exception {
    Path file = attempt.newTaskFile(HadoopCommitProtocol.partFileName(task.partitionId()));
    org.apache.hadoop.fs.FSDataOutputStream out = attempt.fileSystem().create(file, false);
    long written = 0;
    try (Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024)) {
      while (records.hasNext()) {
        writer.write(String.valueOf(format.call(records.next())));
        writer.write('\n');
        written++;
      }
      writer.flush();
      task.metrics().addOutput(written, out.getPos());
    }
  }
}
