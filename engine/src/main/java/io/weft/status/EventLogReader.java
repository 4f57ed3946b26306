package io.weft.status;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads an event log written by {@link EventLogWriter}, also one cut short (a killed driver, a
 * log still being written): it returns the events up to the last complete line, and says whether
 * it stopped early.
 */
public final class EventLogReader {
  private EventLogReader() {}

  /** The events of one log, in order; events of a type this version does not know are skipped. */
  public record Loaded(List<ListenerEvent> events, boolean truncated) {}

  public static Loaded read(Configuration conf, Path path) throws IOException {
    FileSystem fs = EventLogWriter.rawLocal(path.getFileSystem(conf));
    try (InputStream in = fs.open(path)) {
      return read(in, path.getName().replace(EventLogWriter.IN_PROGRESS, "").endsWith(".gz"));
    }
  }

  public static Loaded read(InputStream raw, boolean gzip) throws IOException {
    List<ListenerEvent> events = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    boolean[] cutGzip = {false};
    boolean truncated = false;
    try (InputStream in = gzip ? endAtCut(new GZIPInputStream(raw), cutGzip) : raw;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      int c;
      while ((c = reader.read()) >= 0) {
        if (c != '\n') {
          line.append((char) c);
          continue;
        }
        if (!addLine(line.toString(), events)) {
          truncated = true;
          break;
        }
        line.setLength(0);
      }
    }
    if (line.length() > 0 || cutGzip[0]) {
      truncated = true; // the last line has no end: it was being written
    }
    return new Loaded(events, truncated);
  }

  /**
   * A gzip stream that ends where its input was cut (a log being written or left by a killed
   * driver has no trailer) instead of throwing, so every line decoded before is kept.
   */
  private static InputStream endAtCut(InputStream gzip, boolean[] cut) {
    return new java.io.FilterInputStream(gzip) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return super.read(b, off, len);
        } catch (java.io.EOFException e) {
          cut[0] = true;
          return -1;
        }
      }

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }
    };
  }

  /** The events of the complete lines after byte {@code offset}, and the offset after the last of them. */
  public record Chunk(List<ListenerEvent> events, long nextOffset) {}

  /**
   * Reads a plain (not gzip) log from byte {@code offset} on: the events of every complete line,
   * and the offset just after the last one read, where the next call starts. A line still being
   * written (no newline yet) or not valid JSON is left for the next call, so each byte of a
   * growing log is read about once.
   */
  public static Chunk readFrom(Configuration conf, Path path, long offset) throws IOException {
    FileSystem fs = EventLogWriter.rawLocal(path.getFileSystem(conf));
    try (org.apache.hadoop.fs.FSDataInputStream in = fs.open(path)) {
      in.seek(offset);
      return readFrom(new java.io.BufferedInputStream(in, 64 * 1024), offset);
    }
  }

  static Chunk readFrom(InputStream in, long offset) throws IOException {
    List<ListenerEvent> events = new ArrayList<>();
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    long next = offset;
    int b;
    while ((b = in.read()) >= 0) {
      if (b != '\n') {
        line.write(b); // '\n' never occurs inside a UTF-8 sequence: split on bytes, decode per line
        continue;
      }
      if (!addLine(line.toString(StandardCharsets.UTF_8), events)) {
        break;
      }
      next += line.size() + 1;
      line.reset();
    }
    return new Chunk(events, next);
  }

  private static boolean addLine(String line, List<ListenerEvent> events) {
    if (line.isBlank()) {
      return true;
    }
    try {
      ListenerEvent e = EventCodec.fromJson(line);
      if (e != null) {
        events.add(e);
      }
      return true;
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }
}
