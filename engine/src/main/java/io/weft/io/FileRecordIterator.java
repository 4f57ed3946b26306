package io.weft.io;

import io.weft.TaskContext;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of one split of a file, read lazily by a format's reader: the life cycle every file
 * source shares (text lines, Avro, Parquet, SequenceFiles, any Hadoop input format), so each
 * format only says how to open, advance and close its reader.
 *
 * <p>Threading: used only by the task thread that opened it; byte counts come from Hadoop's
 * per-thread file system statistics, so the iterator must be consumed on that thread.
 *
 * <p>Clean-up: {@link #start} registers {@link #close} with the task before the reader is opened,
 * so a reader is closed as soon as the last record was read, and at the latest when the task
 * completes (a {@code take(n)} or a failing downstream function never exhausts it); closing twice
 * is harmless. On close the task's input metrics get the records read and the bytes the file
 * system delivered.
 *
 * <p>Failure: any error of the reader (corrupt data raises odd runtime exceptions as well as
 * {@code IOException}s) closes the reader and becomes an {@link InputReadException} naming the
 * file and {@link #position()}: the byte range, or what the format knows better (a block offset).
 *
 * @param <T> the record type
 */
public abstract class FileRecordIterator<T> implements Iterator<T> {
  private static final Logger LOG = LoggerFactory.getLogger(FileRecordIterator.class);

  private final String path;
  private final long start;
  private final long length;
  private final TaskContext task;
  private long bytesReadAtStart;
  private T next;
  private boolean hasNext;
  private long records;
  private boolean opened;
  private boolean closed;

  protected FileRecordIterator(String path, long start, long length, TaskContext task) {
    this.path = path;
    this.start = start;
    this.length = length;
    this.task = task;
  }

  /** Registers the clean-up with the task, then opens the reader; returns {@code it}. */
  public static <I extends FileRecordIterator<?>> I start(I it) {
    FileRecordIterator<?> base = it;
    base.bytesReadAtStart = threadBytesRead();
    base.task.addCompletionListener(base::close);
    try {
      base.open();
      base.opened = true;
    } catch (Exception e) {
      throw base.failed(e);
    }
    return it;
  }

  /** Opens the reader on the split; called once, by {@link #start}. */
  protected abstract void open() throws Exception;

  /**
   * Reads the next record of the split.
   *
   * @return the record, or {@code null} at the end of the split (records are never null)
   */
  protected abstract T readNext() throws Exception;

  /** Closes the reader (also when {@link #open} failed half-way: fields may be null). */
  protected abstract void closeReader() throws Exception;

  /** Where the reader is, for an error message; the split's byte range unless overridden. */
  protected String position() {
    return "bytes " + start + "-" + (start + length);
  }

  public final String path() {
    return path;
  }

  public final long start() {
    return start;
  }

  /** The byte after the split. */
  public final long end() {
    return start + length;
  }

  protected final TaskContext task() {
    return task;
  }

  @Override
  public final boolean hasNext() {
    if (hasNext) {
      return true;
    }
    if (closed) {
      return false;
    }
    try {
      next = readNext();
    } catch (Exception e) {
      throw failed(e);
    }
    if (next == null) {
      close();
      return false;
    }
    hasNext = true;
    records++;
    return true;
  }

  @Override
  public final T next() {
    if (!hasNext()) {
      throw new NoSuchElementException(path);
    }
    hasNext = false;
    T record = next;
    next = null;
    return record;
  }

  /** Closes the reader and records the input metrics; idempotent, never throws. */
  public final void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      closeReader();
    } catch (Exception e) {
      // Every record was already handed out (or the task is failing anyway): a close error only
      // means a leaked stream, not wrong data, so it must not fail the task.
      LOG.warn("Closing reader of {} failed", path, e);
    }
    task.metrics().addInput(records, Math.max(0, threadBytesRead() - bytesReadAtStart));
  }

  private InputReadException failed(Exception cause) {
    if (cause instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    String where = opened ? position() : "bytes " + start + "-" + (start + length);
    close();
    return new InputReadException("Cannot read " + path + " (" + where + "): " + cause, cause);
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
