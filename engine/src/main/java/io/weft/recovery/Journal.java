package io.weft.recovery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's recovery journal: one file per ApplicationMaster attempt,
 * {@code <dir>/attempt-<n>.journal}, of {@link JournalRecord} lines. Each append is flushed with
 * {@code hflush}, so a record is readable by the next attempt as soon as {@link #append} returns,
 * even if this JVM is killed the next moment (the NameNode may still report a shorter length for
 * the unclosed file; reading the blocks returns what was flushed).
 *
 * <p>Reading ({@link #readEarlier}) takes every earlier attempt's file in attempt order, stops a
 * file at its first torn or corrupt line (the writer died in the middle of it), and never fails
 * because a file is missing: an attempt that died before it wrote anything left no journal.
 *
 * <p>Threading: {@link #append} is synchronized (the driver thread journals outputs, the scheduler
 * thread map stages). Failure: an append that fails is logged and disables the journal: a lost
 * journal costs recomputation, never correctness.
 */
public final class Journal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

  private final Path file;
  private FSDataOutputStream out;

  private Journal(Path file, FSDataOutputStream out) {
    this.file = file;
    this.out = out;
  }

  /** The journal file of attempt {@code attempt} in {@code dir}. */
  public static Path fileOf(Path dir, int attempt) {
    return new Path(dir, "attempt-" + attempt + ".journal");
  }

  /** Creates (or replaces) attempt {@code attempt}'s journal file in {@code dir}. */
  public static Journal create(Configuration conf, Path dir, int attempt) throws IOException {
    Path file = fileOf(dir, attempt);
    FileSystem fs = file.getFileSystem(conf);
    fs.mkdirs(dir);
    return new Journal(file, fs.create(file, true));
  }

  public Path file() {
    return file;
  }

  /** Writes {@code record} and flushes it to the DataNodes (hflush). */
  public synchronized void append(JournalRecord record) {
    if (out == null) {
      return;
    }
    try {
      out.write(record.encode().getBytes(StandardCharsets.UTF_8));
      out.hflush();
    } catch (IOException e) {
      LOG.warn("Cannot write the recovery journal {}: {}; a later attempt recomputes what follows",
          file, e.toString());
      closeQuietly();
    }
  }

  /** The records attempts 1 to {@code attempt - 1} journaled in {@code dir}, in order. */
  public static List<JournalRecord> readEarlier(Configuration conf, Path dir, int attempt) throws IOException {
    List<JournalRecord> records = new ArrayList<>();
    FileSystem fs = dir.getFileSystem(conf);
    for (int a = 1; a < attempt; a++) {
      Path f = fileOf(dir, a);
      if (fs.exists(f)) {
        readFile(fs, f, records);
      }
    }
    return records;
  }

  private static void readFile(FileSystem fs, Path f, List<JournalRecord> into) throws IOException {
    // read characters, not lines: a last line without its newline is torn even if it parses
    StringBuilder text = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(f), StandardCharsets.UTF_8))) {
      char[] buf = new char[8192];
      int n;
      while ((n = r.read(buf)) > 0) {
        text.append(buf, 0, n);
      }
    }
    int start = 0;
    int lines = 0;
    for (int nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
      JournalRecord rec = JournalRecord.parse(text.substring(start, nl));
      if (rec == null) {
        LOG.warn("Journal {}: line {} is corrupt; ignoring it and what follows", f, lines + 1);
        return;
      }
      into.add(rec);
      lines++;
      start = nl + 1;
    }
    if (start < text.length()) {
      LOG.info("Journal {}: ignoring a torn last line after {} records (the attempt died writing it)", f, lines);
    }
  }

  private void closeQuietly() {
    try {
      out.close();
    } catch (IOException e) {
      LOG.debug("closing {}: {}", file, e.toString());
    }
    out = null;
  }

  @Override
  public synchronized void close() {
    if (out != null) {
      closeQuietly();
    }
  }
}
