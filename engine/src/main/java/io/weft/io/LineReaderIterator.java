package io.weft.io;

import io.weft.TaskContext;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lines of one {@link TextFilePartition}, read lazily by Hadoop's {@code LineRecordReader}
 * (which also decompresses: the codec is chosen from the file suffix).
 *
 * <p>Threading: used only by the task thread that opened it; byte counts come from Hadoop's
 * per-thread file system statistics, so the iterator must be consumed on that thread.
 *
 * <p>Clean-up: the reader is closed as soon as the last line was read, and at the latest by the
 * task's completion listener (a {@code take(n)} or a failing downstream function never exhausts
 * it); closing twice is harmless. On close the task's input metrics get the lines read and the
 * bytes the file system delivered (compressed bytes for a compressed file).
 *
 * <p>Failure: any error of the reader or codec (a corrupt gzip stream raises odd runtime
 * exceptions as well as {@code IOException}s) closes the reader and becomes an
 * {@link InputReadException} naming the file and byte range.
 */
final class LineReaderIterator implements Iterator<String> {
  private static final Logger LOG = LoggerFactory.getLogger(LineReaderIterator.class);

  private final TextFilePartition partition;
  private final TaskContext task;
  private final RecordReader<LongWritable, Text> reader;
  private final long bytesReadAtStart;
  private String nextLine;
  private long records;
  private boolean closed;

  private LineReaderIterator(TextFilePartition partition, TaskContext task,
      RecordReader<LongWritable, Text> reader, long bytesReadAtStart) {
    this.partition = partition;
    this.task = task;
    this.reader = reader;
    this.bytesReadAtStart = bytesReadAtStart;
  }

  /** Opens the partition's split and registers the reader's clean-up with {@code task}. */
  static LineReaderIterator open(TextFilePartition partition, TaskContext task) {
    FileSplit split = new FileSplit(new Path(partition.path()), partition.start(),
        partition.length(), partition.hosts().toArray(new String[0]));
    // The attempt id only labels the reader's context; nothing is written under it.
    TaskAttemptID attemptId = new TaskAttemptID(new TaskID(new JobID("weft", task.stageId()),
        TaskType.MAP, task.partitionId()), task.attemptNumber());
    TaskAttemptContext hadoopContext = new TaskAttemptContextImpl(task.env().hadoopConf(), attemptId);
    long bytesBefore = threadBytesRead();
    RecordReader<LongWritable, Text> reader =
        new TextInputFormat().createRecordReader(split, hadoopContext);
    LineReaderIterator it = new LineReaderIterator(partition, task, reader, bytesBefore);
    task.addCompletionListener(it::close);
    try {
      reader.initialize(split, hadoopContext);
    } catch (IOException | RuntimeException e) {
      throw it.failed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw it.failed(e);
    }
    return it;
  }

  @Override
  public boolean hasNext() {
    if (nextLine != null) {
      return true;
    }
    if (closed) {
      return false;
    }
    try {
      if (reader.nextKeyValue()) {
        nextLine = reader.getCurrentValue().toString();
        records++;
        return true;
      }
    } catch (IOException | RuntimeException e) {
      throw failed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed(e);
    }
    close();
    return false;
  }

  @Override
  public String next() {
    if (!hasNext()) {
      throw new NoSuchElementException(partition.path());
    }
    String line = nextLine;
    nextLine = null;
    return line;
  }

  /** Closes the reader and records the input metrics; idempotent, never throws. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      reader.close();
    } catch (IOException | RuntimeException e) {
      // Every line was already handed out (or the task is failing anyway): a close error only
      // means a leaked stream, not wrong data, so it must not fail the task.
      LOG.warn("Closing reader of {} failed", partition.path(), e);
    }
    task.metrics().addInput(records, Math.max(0, threadBytesRead() - bytesReadAtStart));
  }

  private InputReadException failed(Exception cause) {
    close();
    String range = partition.start() + "-" + (partition.start() + partition.length());
    return new InputReadException("Cannot read " + partition.path() + " (bytes " + range + "): "
        + cause, cause);
  }

  /** Bytes read by this thread from all file systems, as Hadoop counts them. */
  @SuppressWarnings("deprecation") // getAllStatistics is the only per-thread view (Spark uses it too)
  private static long threadBytesRead() {
    List<FileSystem.Statistics> all = FileSystem.getAllStatistics();
    long sum = 0;
    for (FileSystem.Statistics stats : all) {
      sum += stats.getThreadStatistics().getBytesRead();
    }
    return sum;
  }
}
