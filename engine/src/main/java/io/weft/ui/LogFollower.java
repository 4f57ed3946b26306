package io.weft.ui;

import io.weft.status.EventLogReader;
import io.weft.status.EventLogWriter;
import io.weft.status.ListenerEvent;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * One application's event log as the history server follows it: a plain log that grew is read
 * from where the last read stopped (the end of its last complete line), its new events fed to
 * the same {@link AppStatusStore}, so a running application costs what it wrote since the last
 * look, not its whole log again. The log keeps being followed when the application ends and
 * its {@code .inprogress} file is renamed. A gzip log (no resuming mid-stream) or a log that
 * shrank (replaced) is read again from the start.
 *
 * <p>Threading: {@link #update} is synchronized (HTTP threads may look at once); the store is
 * safe to read meanwhile.
 */
final class LogFollower {
  private final Configuration conf;
  private Path path;
  private long length = -1;
  private long modified = -1;
  private long offset;
  private long lastEventMs;
  private AppStatusStore store;

  LogFollower(Configuration conf) {
    this.conf = conf;
    reset();
  }

  /** The store up to date with the log as {@code st} describes it. */
  synchronized AppStatusStore update(FileStatus st) throws IOException {
    if (st.getPath().equals(path) && st.getLen() == length && st.getModificationTime() == modified) {
      return store;
    }
    String name = st.getPath().getName().replace(EventLogWriter.IN_PROGRESS, "");
    if (name.endsWith(".gz") || st.getLen() < offset) {
      reset();
      apply(EventLogReader.read(conf, st.getPath()).events());
    } else {
      EventLogReader.Chunk chunk = EventLogReader.readFrom(conf, st.getPath(), offset);
      apply(chunk.events());
      offset = chunk.nextOffset();
    }
    path = st.getPath();
    length = st.getLen();
    modified = st.getModificationTime();
    return store;
  }

  /** Where the next read starts (the bytes of the complete lines read so far). */
  synchronized long offset() {
    return offset;
  }

  private void reset() {
    offset = 0;
    lastEventMs = 0;
    // running durations end at the last event seen, as in AppStatusStore.replay
    store = new AppStatusStore(() -> lastEventMs);
  }

  private void apply(List<ListenerEvent> events) {
    for (ListenerEvent e : events) {
      lastEventMs = Math.max(lastEventMs, AppStatusStore.timeOf(e));
      store.onEvent(e);
    }
  }
}
