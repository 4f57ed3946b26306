package io.weft.io;

import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.io.commit.HadoopCommitProtocol;
import io.weft.io.commit.TaskAttemptCommitter;
import io.weft.io.commit.TaskCommitMessage;
import io.weft.plan.Node;
import io.weft.recovery.DriverRecovery;
import io.weft.scheduler.ResultFn;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapred.FileAlreadyExistsException;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a node as files through {@link HadoopCommitProtocol}, whatever the format: the output
 * directory then holds one part file per partition (written by the format's
 * {@link PartitionWriter}) and {@code _SUCCESS}, or, if the job failed, nothing at all. Text,
 * Avro, Parquet and Hadoop output formats all save through here.
 *
 * <p>Order of events: the output path is qualified and checked on the driver (an existing
 * directory fails at once, before any task); the job is set up; one task per partition writes its
 * records into its attempt's work directory and commits them if the driver allows; the driver
 * commits the job. Any failure (a task, a commit) aborts the job, which removes what it wrote, and
 * the original failure is rethrown, with abort problems suppressed into it.
 *
 * <p>Threading: {@link #save} blocks the calling driver thread until the job ends.
 */
public final class CommittedOutput {
  private static final Logger LOG = LoggerFactory.getLogger(CommittedOutput.class);

  private CommittedOutput() {}

  /**
   * Writes one partition's records into files of a task attempt. Shipped to the tasks, so it must
   * be serializable and capture no driver state. Runs on the task thread.
   */
  @FunctionalInterface
  public interface PartitionWriter<T> extends Serializable {
    /**
     * Writes {@code records} into files obtained from {@code attempt.newTaskFile}; the caller
     * commits them after a normal return and discards them after an exception.
     */
    void write(TaskAttemptCommitter attempt, TaskContext task, Iterator<T> records) throws Exception;
  }

  /** How a save runs its job: {@code WeftContext.runJob}, or a test's in-thread runner. */
  public interface JobRunner {
    <T, U> List<U> runJob(Node<T> node, ResultFn<T, U> fn);
  }

  /** Runs a job on {@code ctx} writing {@code node} to directory {@code path} with {@code writer}. */
  public static <T> void save(WeftContext ctx, Node<T> node, String path, PartitionWriter<T> writer) {
    save(ctx::runJob, ctx.hadoopConfiguration(), ctx.recovery(), node, path, writer);
  }

  /**
   * {@link #save(WeftContext, Node, String, PartitionWriter)} with the job runner and driver
   * configuration passed in.
   *
   * @throws OutputAlreadyExistsException if {@code path} exists, before any task runs
   */
  public static <T> void save(JobRunner runner, Configuration conf, Node<T> node, String path,
      PartitionWriter<T> writer) {
    save(runner, conf, DriverRecovery.NONE, node, path, writer);
  }

  /**
   * {@link #save(JobRunner, Configuration, Node, String, PartitionWriter)} under an ApplicationMaster
   * attempt's {@code recovery}: an output an earlier attempt committed from the same lineage is
   * kept as it is (no job runs), one it left uncommitted is removed first, and this save's set-up
   * and commit are journaled (see {@link DriverRecovery}).
   */
  public static <T> void save(JobRunner runner, Configuration conf, DriverRecovery recovery, Node<T> node,
      String path, PartitionWriter<T> writer) {
    if (recovery.beforeSave(qualify(conf, path), node)) {
      return;
    }
    Path out = checkOutput(conf, path);
    recovery.outputSetUp(out, true); // checkOutput saw no directory: setupJob creates it
    HadoopCommitProtocol protocol =
        new HadoopCommitProtocol(HadoopCommitProtocol.newJobTrackerId(), node.id(), out.toString());
    try {
      setupJob(protocol, conf);
      List<TaskCommitMessage> messages = runner.runJob(node, writeTask(protocol, writer));
      commitJob(protocol, conf, messages);
      recovery.outputCommitted(out, node, messages.size());
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

  private static Path qualify(Configuration conf, String path) {
    try {
      Path raw = new Path(path);
      return raw.getFileSystem(conf).makeQualified(raw);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check output directory " + path + ": " + e.getMessage(), e);
    }
  }

  /** Qualifies {@code path} and fails if it exists, with Hadoop's own check and message. */
  private static Path checkOutput(Configuration conf, String path) {
    try {
      Path raw = new Path(path);
      Path out = raw.getFileSystem(conf).makeQualified(raw);
      Job job = Job.getInstance(conf);
      FileOutputFormat.setOutputPath(job, out);
      SecureFileSystems.prepare(job, java.util.List.of(out), "output " + out);
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
   * writer, never the driver's configuration or context.
   */
  private static <T> ResultFn<T, TaskCommitMessage> writeTask(HadoopCommitProtocol protocol,
      PartitionWriter<T> writer) {
    return (task, records) -> writePartition(protocol, writer, task, records);
  }

  private static <T> TaskCommitMessage writePartition(HadoopCommitProtocol protocol,
      PartitionWriter<T> writer, TaskContext task, Iterator<T> records) throws Exception {
    TaskAttemptCommitter attempt = protocol.setupTask(task);
    try {
      writer.write(attempt, task, records);
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
