package io.weft.recovery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * One line of the driver's {@link Journal}: a kind, the lineage fingerprint it applies to, and
 * kind-specific fields. On disk: the tab-separated escaped fields, the CRC-32 of what precedes it
 * (8 hex digits), a newline. A line that lacks its newline or whose checksum does not match was
 * torn by the writer's death and is not a record ({@link #parse} returns null).
 *
 * @param kind what happened, e.g. {@link #OUTPUT_COMMITTED}
 * @param fingerprint the {@link LineageFingerprint} of the job or stage it concerns
 * @param fields the kind's own fields (paths, ids, encoded map statuses)
 */
public record JournalRecord(String kind, String fingerprint, List<String> fields) {
  /** A job was submitted: fields {@code [jobId, description]}. */
  public static final String JOB_SUBMITTED = "job-submitted";
  /** A save is about to set up its output: fields {@code [path, createdDir]}. */
  public static final String OUTPUT_SETUP = "output-setup";
  /** A save committed its output (its {@code _SUCCESS} is written): fields {@code [path, parts]}. */
  public static final String OUTPUT_COMMITTED = "output-committed";
  /**
   * A shuffle map stage has every output registered: fields {@code [shuffleId, statuses]}, the
   * statuses base64 of the serialized {@code MapStatus[]}.
   */
  public static final String MAP_STAGE_FINISHED = "map-stage-finished";

  public JournalRecord {
    fields = List.copyOf(fields);
  }

  public String field(int i) {
    return fields.get(i);
  }

  /** The line, newline included. */
  public String encode() {
    StringBuilder sb = new StringBuilder();
    sb.append(escape(kind)).append('\t').append(escape(fingerprint));
    for (String f : fields) {
      sb.append('\t').append(escape(f));
    }
    String body = sb.toString();
    return body + '\t' + crc(body) + '\n';
  }

  /** The record of one line read without its newline, or null if it is torn or corrupt. */
  public static JournalRecord parse(String line) {
    int lastTab = line.lastIndexOf('\t');
    if (lastTab < 0) {
      return null;
    }
    String body = line.substring(0, lastTab);
    if (!crc(body).equals(line.substring(lastTab + 1))) {
      return null;
    }
    String[] parts = body.split("\t", -1);
    if (parts.length < 2) {
      return null;
    }
    List<String> fields = new ArrayList<>();
    for (int i = 2; i < parts.length; i++) {
      fields.add(unescape(parts[i]));
    }
    return new JournalRecord(unescape(parts[0]), unescape(parts[1]), fields);
  }

  private static String crc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return String.format(Locale.ROOT, "%08x", crc.getValue());
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
  }

  private static String unescape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        sb.append(n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
