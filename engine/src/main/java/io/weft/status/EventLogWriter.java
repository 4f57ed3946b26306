package io.weft.status;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every listener event as one JSON line ({@link EventCodec}) to
 * {@code <dir>/<appId>.inprogress} (plus {@code .gz} when compressed), renamed to drop
 * {@code .inprogress} when closed. Flushes to the file system (HDFS {@code hflush}) after every
 * event except task starts and ends, which are flushed at least once a second and with the next
 * job or stage event: a killed driver leaves a log readable up to about its last second, and a
 * stage of 100,000 tasks costs no 200,000 round trips to the DataNodes.
 *
 * <p>Threading: called on the listener bus thread only. Failure: a write error is logged once
 * and the log stops; the application goes on.
 */
public final class EventLogWriter implements WeftListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventLogWriter.class);
  public static final String IN_PROGRESS = ".inprogress";
  private static final long TASK_FLUSH_INTERVAL_MS = 1000;

  private final FileSystem fs;
  private final Path inProgress;
  private final Path finished;
  private final FSDataOutputStream raw;
  private final Writer out;
  private long lastFlushMs;
  private boolean broken;
  private boolean closed;

  private EventLogWriter(FileSystem fs, Path inProgress, Path finished, FSDataOutputStream raw, Writer out) {
    this.fs = fs;
    this.inProgress = inProgress;
    this.finished = finished;
    this.raw = raw;
    this.out = out;
  }

  /** Creates the log of {@code appId} in {@code dir} (made if missing; relative to the home directory). */
  public static EventLogWriter create(Configuration conf, String dir, String appId, boolean compress)
      throws IOException {
    Path base = new Path(dir);
    FileSystem fs = rawLocal(base.getFileSystem(conf));
    base = fs.makeQualified(base);
    fs.mkdirs(base);
    String name = appId + (compress ? ".gz" : "");
    Path finished = new Path(base, name);
    Path inProgress = new Path(base, name + IN_PROGRESS);
    FSDataOutputStream raw = fs.create(inProgress, true);
    // the owner and its group (the history server's) only, as Spark's event logs: task metrics
    // and the heaviest keys are the users' data
    fs.setPermission(inProgress, new org.apache.hadoop.fs.permission.FsPermission((short) 0770));
    OutputStream stream = compress ? new GZIPOutputStream(raw, 64 * 1024, true) : raw;
    LOG.info("Writing the event log to {}", inProgress);
    return new EventLogWriter(fs, inProgress, finished, raw,
        new OutputStreamWriter(stream, StandardCharsets.UTF_8));
  }

  /** The local file system without checksum files: a half-written log must be readable as is. */
  static FileSystem rawLocal(FileSystem fs) {
    return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
  }

  /** Where the log is while the application runs. */
  public Path path() {
    return inProgress;
  }

  // synchronized with close: the bus thread may still deliver while the context closes the log
  @Override
  public synchronized void onEvent(ListenerEvent event) {
    if (broken) {
      return;
    }
    try {
      out.write(EventCodec.toJson(event));
      out.write('\n');
      long now = System.currentTimeMillis();
      // frequent events (every task, every executor's memory report) are flushed at most once a second
      boolean frequent = event instanceof ListenerEvent.TaskStarted || event instanceof ListenerEvent.TaskEnded
          || event instanceof ListenerEvent.ExecutorMemoryUpdated;
      if (!frequent || now - lastFlushMs >= TASK_FLUSH_INTERVAL_MS) {
        out.flush();
        raw.hflush();
        lastFlushMs = now;
      }
    } catch (IOException | RuntimeException e) {
      broken = true;
      LOG.warn("The event log {} stopped at {}: {}", inProgress, event.getClass().getSimpleName(), e.toString());
    }
  }

  /** Closes the log and gives it its final name; later events are dropped. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    broken = true;
    try {
      out.close();
      if (!fs.rename(inProgress, finished)) {
        LOG.warn("Could not rename the event log {} to {}", inProgress, finished);
      } else {
        LOG.info("Event log written to {}", finished);
      }
    } catch (IOException e) {
      LOG.warn("Closing the event log {} failed: {}", inProgress, e.toString());
    }
  }
}
