package io.weft.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Journal} and {@link JournalRecord} on the local file system. */
class JournalTest {
  @TempDir java.nio.file.Path tmp;
  private final Configuration conf = new Configuration();

  @Test
  void recordsOfEarlierAttemptsReadBackInOrderWithAwkwardCharacters() throws IOException {
    Path dir = new Path(tmp.toUri());
    JournalRecord a = new JournalRecord(JournalRecord.OUTPUT_SETUP, "-", List.of("hdfs://x/a\tb\\c\nd", "true"));
    JournalRecord b = new JournalRecord(JournalRecord.OUTPUT_COMMITTED, "ab12", List.of("hdfs://x/a", "3"));
    JournalRecord c = new JournalRecord(JournalRecord.JOB_SUBMITTED, "cd34", List.of("0", "n"));
    try (Journal one = Journal.create(conf, dir, 1)) {
      one.append(a);
      one.append(b);
    }
    try (Journal two = Journal.create(conf, dir, 2)) {
      two.append(c);
    }
    try (Journal three = Journal.create(conf, dir, 3)) {
      three.append(a); // this attempt's own records are not "earlier"
    }

    assertEquals(List.of(a, b, c), Journal.readEarlier(conf, dir, 3));
    assertEquals(List.of(a, b), Journal.readEarlier(conf, dir, 2));
    assertEquals(List.of(), Journal.readEarlier(conf, dir, 1));
  }

  @Test
  void aTornLastLineIsIgnoredAndACorruptLineEndsTheFile() throws IOException {
    JournalRecord a = new JournalRecord(JournalRecord.JOB_SUBMITTED, "f1", List.of("0", "first"));
    JournalRecord b = new JournalRecord(JournalRecord.JOB_SUBMITTED, "f2", List.of("1", "second"));
    String full = b.encode();
    // attempt 1 died in the middle of its second line; the cut keeps the checksum's tab-separated look
    Files.writeString(tmp.resolve("attempt-1.journal"), a.encode() + full.substring(0, full.length() - 3),
        StandardCharsets.UTF_8);
    // attempt 2's second line was damaged: it and what follows are not trusted
    Files.writeString(tmp.resolve("attempt-2.journal"),
        a.encode() + full.replace("second", "secund") + b.encode(), StandardCharsets.UTF_8);

    Path dir = new Path(tmp.toUri());
    assertEquals(List.of(a, a), Journal.readEarlier(conf, dir, 3));
  }

  @Test
  void aLineWithoutItsChecksumIsNotARecord() {
    String line = new JournalRecord(JournalRecord.JOB_SUBMITTED, "f", List.of("0")).encode();
    String withoutNewline = line.substring(0, line.length() - 1);
    assertEquals("f", JournalRecord.parse(withoutNewline).fingerprint());
    assertNull(JournalRecord.parse(withoutNewline.substring(0, withoutNewline.lastIndexOf('\t'))));
    assertNull(JournalRecord.parse(""));
  }
}
