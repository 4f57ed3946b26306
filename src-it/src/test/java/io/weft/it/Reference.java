package io.weft.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What each example should output, computed in plain Java (no Weft) from its input files: the
 * independent side of every end-to-end assertion. Files are read through Hadoop's
 * {@link FileSystem} only so that the same code reads local and HDFS inputs; nothing else of
 * Hadoop or Weft is involved.
 *
 * <p>A path is a file or a directory; in a directory, files whose names start with {@code _} or
 * {@code .} (markers, checksums) are skipped, as Hadoop's input formats skip them.
 */
final class Reference {
  private Reference() {}

  /** WordCount: occurrences of every maximal run of non-white-space characters. */
  static Map<String, Long> wordCounts(FileSystem fs, Path input) {
    Map<String, Long> counts = new HashMap<>();
    forEachLine(fs, input, line -> {
      int i = 0;
      int n = line.length();
      while (i < n) {
        while (i < n && isWhiteSpace(line.charAt(i))) {
          i++;
        }
        int start = i;
        while (i < n && !isWhiteSpace(line.charAt(i))) {
          i++;
        }
        if (i > start) {
          counts.merge(line.substring(start, i), 1L, Long::sum);
        }
      }
    });
    return counts;
  }

  /** The characters of Java's regex {@code \s}, the white space WordCount splits on. */
  private static boolean isWhiteSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  /** Sort's key: the first 10 characters, or the whole line if shorter. */
  static String sortKey(String line) {
    return line.length() <= 10 ? line : line.substring(0, 10);
  }

  /** Sort: every input line, ordered by {@link #sortKey} (ties in input order). */
  static List<String> sortedByKey(FileSystem fs, Path input) {
    List<String> lines = lines(fs, input);
    lines.sort(Comparator.comparing(Reference::sortKey));
    return lines;
  }

  /** Join: the sum of event amounts per country of the event's user; unknown users dropped. */
  static Map<String, Long> joinSums(FileSystem fs, Path events, Path users) {
    Map<String, String> countryOfUser = new HashMap<>();
    forEachLine(fs, users, line -> {
      String[] f = line.split("\t", -1);
      if (countryOfUser.put(f[0], f[1]) != null) {
        throw new IllegalStateException("user " + f[0] + " twice in " + users + ": the expected sums assume unique users");
      }
    });
    Map<String, Long> sums = new HashMap<>();
    forEachLine(fs, events, line -> {
      String[] f = line.split("\t", -1);
      String country = countryOfUser.get(f[0]);
      if (country != null) {
        sums.merge(country, Long.parseLong(f[2]), Long::sum);
      }
    });
    return sums;
  }

  /** Grep: the number of lines containing {@code word}. */
  static long grepCount(FileSystem fs, Path input, String word) {
    long[] count = {0};
    forEachLine(fs, input, line -> {
      if (line.contains(word)) {
        count[0]++;
      }
    });
    return count[0];
  }

  /** Every line of {@code path}, files in name order. */
  static List<String> lines(FileSystem fs, Path path) {
    List<String> lines = new ArrayList<>();
    forEachLine(fs, path, lines::add);
    return lines;
  }

  static void forEachLine(FileSystem fs, Path path, Consumer<String> action) {
    for (Path file : dataFiles(fs, path)) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8), 1 << 16)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          action.accept(line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
  }

  /** The data files of {@code path} (itself if a file; else its files, recursively), in name order. */
  static List<Path> dataFiles(FileSystem fs, Path path) {
    try {
      FileStatus status = fs.getFileStatus(path);
      List<Path> files = new ArrayList<>();
      if (status.isFile()) {
        files.add(status.getPath());
        return files;
      }
      FileStatus[] children = fs.listStatus(path);
      java.util.Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
      for (FileStatus child : children) {
        String name = child.getPath().getName();
        if (!name.startsWith("_") && !name.startsWith(".")) {
          files.addAll(dataFiles(fs, child.getPath()));
        }
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + path, e);
    }
  }
}
