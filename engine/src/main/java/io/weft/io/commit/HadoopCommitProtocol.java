package io.weft.io.commit;

import io.weft.TaskContext;
import java.io.IOException;
import java.io.Serializable;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.task.JobContextImpl;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hadoop's output commit protocol for one write job, around {@link FileOutputCommitter} with
 * algorithm version 1: a task attempt writes under
 * {@code <out>/_temporary/0/_temporary/<attempt>/}; a task commit renames that directory to
 * {@code <out>/_temporary/0/<task>/}; the job commit moves every committed task's files into
 * {@code <out>}, deletes {@code _temporary} and writes {@code _SUCCESS}. Until the job commits,
 * nothing is visible in the output directory, and a task is committed at most once because the
 * driver lets only the first attempt that asks commit ({@code DriverEndpoint.canCommit}).
 *
 * <p>Lifecycle: on the driver {@link #setupJob}, then tasks run, each {@link #setupTask} → write
 * into {@link TaskAttemptCommitter#newTaskFile} → {@link TaskAttemptCommitter#commit}; then on the
 * driver {@link #commitJob}, or {@link #abortJob} if anything failed. The protocol object is
 * serialized into the tasks, so it holds only strings and numbers; each side builds its Hadoop
 * committer from its own {@code Configuration} (never shipped: it is not serializable).
 *
 * <p>Hadoop task attempt ids are {@code attempt_<jobTrackerId>_<job>_m_<partition>_<n>} with
 * {@code n = stageAttempt << 16 | attemptNumber}, as Spark does: attempt numbers restart in a
 * retried stage, and two attempts must never share a work directory.
 *
 * <p>Threading: the driver methods are called by the one thread running the save; the task
 * side is per attempt. Failure: Hadoop's {@code IOException}s propagate; {@link #abortJob} is
 * best-effort cleanup that reports what it could not delete.
 */
public final class HadoopCommitProtocol implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(HadoopCommitProtocol.class);

  private final String jobTrackerId;
  private final int jobNumber;
  private final String outputPath;
  /** Driver state: whether {@link #setupJob} created the output directory (abort removes it). */
  private boolean createdOutputDir;

  /**
   * @param jobTrackerId first part of the Hadoop job id, e.g. {@link #newJobTrackerId()}
   * @param jobNumber second part of the Hadoop job id
   * @param outputPath fully qualified output directory
   */
  public HadoopCommitProtocol(String jobTrackerId, int jobNumber, String outputPath) {
    this.jobTrackerId = jobTrackerId;
    this.jobNumber = jobNumber;
    this.outputPath = outputPath;
  }

  /** A job tracker id from the current time ({@code yyyyMMddHHmmss}), as MapReduce and Spark use. */
  public static String newJobTrackerId() {
    return new SimpleDateFormat("yyyyMMddHHmmss", Locale.ROOT).format(new Date());
  }

  /** The name of the file partition {@code partitionId} writes: {@code part-00000}, .... */
  public static String partFileName(int partitionId) {
    return String.format(Locale.ROOT, "part-%05d", partitionId);
  }

  public String outputPath() {
    return outputPath;
  }

  public JobID jobId() {
    return new JobID(jobTrackerId, jobNumber);
  }

  /** Driver: creates the job's temporary area (and the output directory if missing). */
  public void setupJob(Configuration conf) throws IOException {
    JobContext job = jobContext(conf);
    Path out = new Path(outputPath);
    createdOutputDir = !out.getFileSystem(job.getConfiguration()).exists(out);
    new FileOutputCommitter(out, job).setupJob(job);
    LOG.info("Set up output job {} in {}", jobId(), outputPath);
  }

  /** Executor: prepares one task attempt's work directory; {@code task} names the attempt. */
  public TaskAttemptCommitter setupTask(TaskContext task) throws IOException {
    int hadoopAttempt = (task.stageAttemptNumber() << 16) | task.attemptNumber();
    TaskAttemptID attemptId =
        new TaskAttemptID(new TaskID(jobId(), TaskType.MAP, task.partitionId()), hadoopAttempt);
    TaskAttemptContext context =
        new TaskAttemptContextImpl(committerConf(task.env().hadoopConf()), attemptId);
    FileOutputCommitter committer = new FileOutputCommitter(new Path(outputPath), context);
    committer.setupTask(context);
    return new TaskAttemptCommitter(task, context, committer);
  }

  /**
   * Driver: publishes the committed tasks' files and writes {@code _SUCCESS}.
   *
   * @throws IllegalStateException if some partition reported two commits (a protocol bug: the
   *     driver's commit arbitration must prevent it), before anything is published
   */
  public void commitJob(Configuration conf, List<TaskCommitMessage> messages) throws IOException {
    Set<Integer> partitions = new HashSet<>();
    for (TaskCommitMessage m : messages) {
      if (!partitions.add(m.partitionId())) {
        throw new IllegalStateException("Partition " + m.partitionId() + " of output " + outputPath
            + " was committed twice; refusing to publish duplicated data");
      }
    }
    JobContext job = jobContext(conf);
    new FileOutputCommitter(new Path(outputPath), job).commitJob(job);
    LOG.info("Committed output job {}: {} task outputs in {}", jobId(), messages.size(), outputPath);
  }

  /**
   * Driver: removes everything the job wrote: the temporary area, and the output directory
   * itself if {@link #setupJob} created it. If it existed before, only the {@code part-*} files
   * and {@code _SUCCESS} (which this protocol owns) are deleted, in case a failed job commit had
   * already published some.
   */
  public void abortJob(Configuration conf) throws IOException {
    JobContext job = jobContext(conf);
    Path out = new Path(outputPath);
    new FileOutputCommitter(out, job).abortJob(job, JobStatus.State.FAILED);
    FileSystem fs = out.getFileSystem(job.getConfiguration());
    if (createdOutputDir) {
      if (fs.exists(out) && !fs.delete(out, true)) {
        throw new IOException("Cannot delete output directory " + out + " of failed job " + jobId());
      }
    } else {
      String ours = "{part-*," + FileOutputCommitter.SUCCEEDED_FILE_NAME + "}";
      FileStatus[] published = fs.globStatus(new Path(out, ours));
      for (FileStatus f : published == null ? new FileStatus[0] : published) {
        if (!fs.delete(f.getPath(), false)) {
          throw new IOException("Cannot delete " + f.getPath() + " of failed job " + jobId());
        }
      }
    }
    LOG.info("Aborted output job {} in {}", jobId(), outputPath);
  }

  private JobContext jobContext(Configuration conf) {
    return new JobContextImpl(committerConf(conf), jobId());
  }

  /** A copy of {@code conf} set up for this job's committer. */
  private Configuration committerConf(Configuration conf) {
    Configuration c = new Configuration(conf);
    // v1: task output stays invisible until job commit (v2 would publish at task commit).
    c.setInt(FileOutputCommitter.FILEOUTPUTCOMMITTER_ALGORITHM_VERSION, 1);
    c.set(FileOutputFormat.OUTDIR, outputPath);
    return c;
  }
}
