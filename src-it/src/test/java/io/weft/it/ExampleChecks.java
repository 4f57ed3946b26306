package io.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Assertions that an example's output directory holds what {@link Reference} computes from its
 * input, shared by the local and the HDFS tests. Failures name a few differing records rather
 * than printing maps of a hundred thousand entries.
 */
final class ExampleChecks {
  private static final int SHOWN_DIFFERENCES = 10;

  private ExampleChecks() {}

  static void checkWordCount(FileSystem fs, Path input, Path output) {
    assertSameMap(Reference.wordCounts(fs, input), readKeyCounts(fs, output), "word counts of " + output);
  }

  static void checkJoin(FileSystem fs, Path events, Path users, Path output) {
    assertSameMap(Reference.joinSums(fs, events, users), readKeyCounts(fs, output), "country sums of " + output);
  }

  static void checkGrep(FileSystem fs, Path input, String word, Path output) {
    List<String> lines = outputLines(fs, output);
    assertEquals(1, lines.size(), "Grep writes one line, got " + lines);
    assertEquals(Reference.grepCount(fs, input, word), Long.parseLong(lines.get(0).trim()),
        "lines containing '" + word + "'");
  }

  /**
   * Sort: the part files, read in order, are in total key order, hold exactly the input's lines
   * (as a multiset), and their key sequence is that of a plain sort of the input.
   */
  static void checkSort(FileSystem fs, Path input, Path output, int expectedParts) {
    List<Path> parts = partFiles(fs, output);
    if (expectedParts > 0) {
      assertEquals(expectedParts, parts.size(), "part files of " + output);
    }
    List<String> actual = new ArrayList<>();
    String previousKey = null;
    for (Path part : parts) {
      List<String> lines = Reference.lines(fs, part);
      for (String line : lines) {
        String key = Reference.sortKey(line);
        if (previousKey != null && key.compareTo(previousKey) < 0) {
          fail("key order broken in " + part + ": '" + key + "' after '" + previousKey + "'");
        }
        previousKey = key;
      }
      actual.addAll(lines);
    }
    List<String> expected = Reference.sortedByKey(fs, input);
    assertEquals(expected.size(), actual.size(), "line count of " + output);
    for (int i = 0; i < expected.size(); i++) {
      String e = Reference.sortKey(expected.get(i));
      String a = Reference.sortKey(actual.get(i));
      if (!e.equals(a)) {
        fail("key " + i + " of the sorted output is '" + a + "', a plain sort has '" + e + "'");
      }
    }
    // Same keys in the same order; now the same lines (equal keys may come in any order).
    expected.sort(Comparator.naturalOrder());
    actual.sort(Comparator.naturalOrder());
    for (int i = 0; i < expected.size(); i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        fail("the output's lines differ from the input's: in sorted order, line " + i + " is '"
            + actual.get(i) + "', expected '" + expected.get(i) + "'");
      }
    }
  }

  /** {@code key<TAB>number} lines of all part files; a key twice is a failure. */
  static Map<String, Long> readKeyCounts(FileSystem fs, Path output) {
    Map<String, Long> result = new HashMap<>();
    for (String line : outputLines(fs, output)) {
      int tab = line.lastIndexOf('\t');
      assertTrue(tab > 0, "not a key<TAB>value line: '" + line + "'");
      Long before = result.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
      assertEquals(null, before, "key '" + line.substring(0, tab) + "' written twice");
    }
    return result;
  }

  /** Lines of every part file, in part order, after checking the job committed ({@code _SUCCESS}). */
  static List<String> outputLines(FileSystem fs, Path output) {
    List<String> lines = new ArrayList<>();
    for (Path part : partFiles(fs, output)) {
      lines.addAll(Reference.lines(fs, part));
    }
    return lines;
  }

  /** The {@code part-*} files of a committed output directory, in name order. */
  static List<Path> partFiles(FileSystem fs, Path output) {
    try {
      assertTrue(fs.exists(new Path(output, "_SUCCESS")), "no _SUCCESS in " + output);
      FileStatus[] all = fs.listStatus(output);
      Arrays.sort(all, Comparator.comparing(s -> s.getPath().getName()));
      List<Path> parts = new ArrayList<>();
      for (FileStatus s : all) {
        if (s.getPath().getName().startsWith("part-")) {
          parts.add(s.getPath());
        }
      }
      assertFalse(parts.isEmpty(), "no part files in " + output);
      return parts;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Equal maps, or a failure listing the sizes and the first few differing keys. */
  static <K extends Comparable<K>, V> void assertSameMap(Map<K, V> expected, Map<K, V> actual, String what) {
    assertFalse(expected.isEmpty(), "the reference for " + what + " is empty: the test data is wrong");
    if (expected.equals(actual)) {
      return;
    }
    TreeSet<K> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    List<String> diffs = new ArrayList<>();
    for (K k : keys) {
      V e = expected.get(k);
      V a = actual.get(k);
      if (e == null ? a != null : !e.equals(a)) {
        diffs.add(k + ": expected " + e + ", got " + a);
        if (diffs.size() == SHOWN_DIFFERENCES) {
          break;
        }
      }
    }
    fail(what + " differ (expected " + expected.size() + " keys, got " + actual.size() + "); first differences:\n  "
        + String.join("\n  ", diffs));
  }
}
