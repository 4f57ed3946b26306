package io.weft.diagnosis;

import io.weft.Pair;
import io.weft.Partitioner;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The heaviest keys one shuffle map task wrote, kept cheaply: a space-saving sketch (Metwally et
 * al.) of {@code capacity} counters over a sample of the records, each sampled record weighing
 * the mean sampling stride. The first {@value #EXACT_RECORDS} records are all counted, then one in
 * {@value #STRIDE} on average, at random gaps (a fixed stride would alias with periodic input:
 * keys alternating a, b would all sample as a), so a task of millions of records pays one counter
 * decrement per record and a pass over the counters per 32. A key holding a fraction f of a task's records is kept whenever f is
 * above about 1/capacity; its reported count is the guaranteed part of its counter (the
 * counter minus what it inherited on taking it over), an under-estimate by at most the sampling
 * error. Keys held by less than 1/(2 x capacity) of the records are not reported.
 *
 * <p>Worked example: capacity 2, keys a a b c a sampled with stride 1: {a:1} {a:2} {a:2,b:1}
 * then c replaces the smallest, b, inheriting its count as error: {a:2, c:2 (error 1)}; a again:
 * {a:3, c:2 (error 1)}; reported (floor 5/4, so 1): a with 3, c with 1.
 *
 * <p>Threading: one task thread; {@link #top} gives an immutable result to send to the driver.
 */
public final class KeySketch {
  static final int EXACT_RECORDS = 1024;
  static final int STRIDE = 32;
  /** Longest key text reported: the sketch names keys, it does not ship them. */
  private static final int MAX_KEY_CHARS = 80;

  /** One heavy key: its reduce partition, its text and its guaranteed (sampled) record count. */
  public record HeavyKey(int partition, String key, long count) implements Serializable {}

  /** The heavy keys one map task wrote to shuffle {@code shuffleId}, heaviest first. */
  public record Result(int shuffleId, List<HeavyKey> keys) implements Serializable {}

  private final int capacity;
  private final Partitioner partitioner;
  // the counters as parallel arrays: with a handful of them one linear pass finds the key and the
  // smallest counter at once, without the allocation and hashing of a map
  private final Object[] keys;
  private final int[] hashes;
  private final long[] counts;
  private final long[] errors;
  private int used;
  private long seen;
  private int untilSample = 1;
  /** xorshift state for the sampling gaps: cheap, and the same sample on a retried task. */
  private int random = 0x9E3779B9;

  public KeySketch(int capacity, Partitioner partitioner) {
    this.capacity = capacity;
    this.partitioner = partitioner;
    this.keys = new Object[capacity];
    this.hashes = new int[capacity];
    this.counts = new long[capacity];
    this.errors = new long[capacity];
  }

  /** {@code records}, offering each sampled key to the sketch as it passes. */
  public <K, V> Iterator<Pair<K, V>> watch(Iterator<Pair<K, V>> records) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public Pair<K, V> next() {
        Pair<K, V> record = records.next();
        if (--untilSample == 0) {
          sample(record.key());
        }
        return record;
      }
    };
  }

  private void sample(Object key) {
    long weight = seen < EXACT_RECORDS ? 1 : STRIDE;
    seen += weight;
    untilSample = seen < EXACT_RECORDS ? 1 : 1 + nextGap();
    int hash = java.util.Objects.hashCode(key);
    int min = 0;
    for (int i = 0; i < used; i++) {
      if (hashes[i] == hash && java.util.Objects.equals(keys[i], key)) {
        counts[i] += weight;
        return;
      }
      if (counts[i] < counts[min]) {
        min = i;
      }
    }
    if (used < capacity) {
      put(used++, key, hash, weight, 0);
    } else {
      // space-saving: the new key takes over the smallest counter, inheriting its count as its
      // possible over-count (error)
      put(min, key, hash, counts[min] + weight, counts[min]);
    }
  }

  private void put(int i, Object key, int hash, long count, long error) {
    keys[i] = key;
    hashes[i] = hash;
    counts[i] = count;
    errors[i] = error;
  }

  /** A gap in [0, 2 * STRIDE - 2]: 1 + gap has mean STRIDE. */
  private int nextGap() {
    random ^= random << 13;
    random ^= random >>> 17;
    random ^= random << 5;
    return (random >>> 1) % (2 * STRIDE - 1);
  }

  /**
   * The kept keys that are certainly heavy, heaviest first, as the driver receives them: each with
   * its guaranteed count (its counter minus what it inherited), and only when that is at least
   * 1/(2 x capacity) of the records seen. Without this a task of evenly spread keys would report
   * whichever keys last took over a counter, with counts that are all inheritance.
   */
  public Result top(int shuffleId) {
    List<HeavyKey> heavy = new ArrayList<>(used);
    long floor = Math.max(1, seen / (2L * capacity));
    for (int i = 0; i < used; i++) {
      long guaranteed = counts[i] - errors[i];
      if (guaranteed >= floor) {
        heavy.add(new HeavyKey(partitionOf(keys[i]), text(keys[i]), guaranteed));
      }
    }
    heavy.sort(Comparator.comparingLong(HeavyKey::count).reversed());
    return new Result(shuffleId, List.copyOf(heavy));
  }

  private int partitionOf(Object key) {
    try {
      return partitioner.partitionFor(key);
    } catch (RuntimeException e) {
      return -1; // the writer already rejected such a key; the sketch only reports
    }
  }

  private static String text(Object key) {
    String s = String.valueOf(key);
    return s.length() <= MAX_KEY_CHARS ? s : s.substring(0, MAX_KEY_CHARS) + "...";
  }
}
