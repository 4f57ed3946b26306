package io.weft.io;

import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.function.Fn;
import io.weft.io.commit.HadoopCommitProtocol;
import io.weft.io.commit.TaskAttemptCommitter;
import io.weft.io.commit.TaskCommitMessage;
import io.weft.plan.Node;
import io.weft.scheduler.ResultFn;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapred.FileAlreadyExistsException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a node as text files, one line per record, through {@link HadoopCommitProtocol}: the
 * output directory then holds {@code part-00000 ...} (one per partition, UTF-8, each line ended
 * by {@code '\n'}) and {@code _SUCCESS}, or, if the job failed, nothing at all.
 *
 * <p>Order of events: the output path is qualified and checked on the driver (an existing
 * directory fails at once, before any task); the job is set up; one task per partition formats
 * its records, writes its part file into its attempt's work directory and commits it if the
 * driver allows; the driver commits the job. Any failure (a task, a commit) aborts the job, which
 * removes what it wrote, and the original failure is rethrown, with abort problems suppressed
 * into it.
 *
 * <p>Threading: {@code saveAsTextFile} blocks the calling driver thread until the job ends.
 */
public final class TextOutput {
  private static final Logger LOG = LoggerFactory.getLogger(TextOutput.class);

  private TextOutput() {}

  /**
   * Runs a job that writes {@code node} to directory {@code path}, formatting each record with
   * {@code format} (a null result is written as {@code "null"}).
   *
   * @throws OutputAlreadyExistsException if {@code path} exists, before any task runs
   */
  public static <T> void saveAsTextFile(WeftContext ctx, Node<T> node, String path, Fn<T, String> format) {
    save(ctx::runJob, ctx.hadoopConfiguration(), node, path, format);
  }

  /** How a save runs its job: {@code WeftContext.runJob}, or a test's in-thread runner. */
  interface JobRunner {
    <T, U> List<U> runJob(Node<T> node, ResultFn<T, U> fn);
  }

  /** {@link #saveAsTextFile} with the job runner and driver configuration passed in. */
  static <T> void save(JobRunner runner, Configuration conf, Node<T> node, String path,
      Fn<T, String> format) {
    Path out = checkOutput(conf, path);
    HadoopCommitProtocol protocol =
        new HadoopCommitProtocol(HadoopCommitProtocol.newJobTrackerId(), node.id(), out.toString());
    try {
      setupJob(protocol, conf);
      List<TaskCommitMessage> messages = runner.runJob(node, writeTask(protocol, format));
      commitJob(protocol, conf, messages);
    } catch (RuntimeException | Error e) {
      abortAfter(protocol, conf, e);
      throw e;
    }
  }

  private static void setupJob(HadoopCommitProtocol protocol, Configuration conf) {
    try {
      protocol.setupJob(conf);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot set up output directory " + protocol.outputPath() + ": " + e.getMessage(), e);
    }
  }

  private static void commitJob(HadoopCommitProtocol protocol, Configuration conf,
      List<TaskCommitMessage> messages) {
    try {
      protocol.commitJob(conf, messages);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot commit output directory " + protocol.outputPath() + ": " + e.getMessage(), e);
    }
  }

  /** Qualifies {@code path} and fails if it exists, with Hadoop's own check and message. */
  private static Path checkOutput(Configuration conf, String path) {
    try {
      Path raw = new Path(path);
      Path out = raw.getFileSystem(conf).makeQualified(raw);
      Job job = Job.getInstance(conf);
      FileOutputFormat.setOutputPath(job, out);
      new TextOutputFormat<Object, Object>().checkOutputSpecs(job);
      return out;
    } catch (FileAlreadyExistsException e) {
      // FileOutputFormat throws the mapred (not the fs) class: "Output directory X already exists".
      throw new OutputAlreadyExistsException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check output directory " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * The task side. A static method so the lambda captures only the (serializable) protocol and
   * format function, never the driver's configuration or context.
   */
  private static <T> ResultFn<T, TaskCommitMessage> writeTask(HadoopCommitProtocol protocol,
      Fn<T, String> format) {
    return (task, records) -> writePartition(protocol, format, task, records);
  }

  private static <T> TaskCommitMessage writePartition(HadoopCommitProtocol protocol,
      Fn<T, String> format, TaskContext task, Iterator<T> records) throws Exception {
    TaskAttemptCommitter attempt = protocol.setupTask(task);
    try {
      Path file = attempt.newTaskFile(HadoopCommitProtocol.partFileName(task.partitionId()));
      try (Writer writer = new BufferedWriter(new OutputStreamWriter(
          attempt.fileSystem().create(file, false), StandardCharsets.UTF_8), 64 * 1024)) {
        while (records.hasNext()) {
          writer.write(String.valueOf(format.call(records.next())));
          writer.write('\n');
        }
      }
    } catch (Exception | Error e) {
      attempt.abort();
      throw e;
    }
    return attempt.commit();
  }

  private static void abortAfter(HadoopCommitProtocol protocol, Configuration conf, Throwable failure) {
    LOG.warn("Output job {} to {} failed; aborting it", protocol.jobId(), protocol.outputPath());
    try {
      protocol.abortJob(conf);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
