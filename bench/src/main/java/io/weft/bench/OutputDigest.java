package io.weft.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What an output directory holds, independent of how the records were split into
 * {@code part-*} files and ordered within them: the number of lines and an order-independent
 * 64-bit digest of them (the sum of a mixed hash of each line), so outputs of 1 GB from two
 * engines compare without holding either. Equal digests of different multisets of lines need a
 * 64-bit collision of sums, which a benchmark can live with. For a sorted output it also records
 * whether the lines, read part by part in name order, are ordered by their first ten characters
 * (records with equal keys may come in any order, so order is checked by key, not compared).
 */
record OutputDigest(long lines, long digest, boolean sortedByKey) {
  private static final int KEY_LENGTH = 10;

  static OutputDigest of(Path dir) throws IOException {
    List<Path> parts;
    try (Stream<Path> files = Files.list(dir)) {
      parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    }
    long lines = 0;
    long digest = 0;
    boolean sorted = true;
    String previousKey = null;
    for (Path part : parts) {
      try (BufferedReader r = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          lines++;
          digest += mix(fnv64(line));
          String key = line.length() <= KEY_LENGTH ? line : line.substring(0, KEY_LENGTH);
          if (previousKey != null && key.compareTo(previousKey) < 0) {
            sorted = false;
          }
          previousKey = key;
        }
      }
    }
    return new OutputDigest(lines, digest, sorted);
  }

  /** The same multiset of lines (order aside). */
  boolean sameRecords(OutputDigest other) {
    return lines == other.lines && digest == other.digest;
  }

  /** FNV-1a over the line's chars: 64 bits of the whole line (String.hashCode has only 32). */
  private static long fnv64(String line) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < line.length(); i++) {
      h = (h ^ line.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  /** MurmurHash3's 64-bit finalizer: spreads every input bit over the result. */
  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  @Override
  public String toString() {
    return lines + " lines, digest " + Long.toHexString(digest);
  }
}
