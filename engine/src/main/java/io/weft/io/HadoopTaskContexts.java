package io.weft.io;

import io.weft.TaskContext;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;

/** Hadoop task attempt contexts for Weft tasks that read input through Hadoop's readers. */
public final class HadoopTaskContexts {
  private HadoopTaskContexts() {}

  /**
   * A context over the executor's Hadoop configuration whose attempt id only labels the reader:
   * nothing is written under it.
   */
  public static TaskAttemptContext reading(TaskContext task) {
    TaskAttemptID attemptId = new TaskAttemptID(new TaskID(new JobID("weft", task.stageId()),
        TaskType.MAP, task.partitionId()), task.attemptNumber());
    return new TaskAttemptContextImpl(task.env().hadoopConf(), attemptId);
  }
}
