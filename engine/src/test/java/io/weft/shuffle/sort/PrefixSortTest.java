package io.weft.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sorting string keys by prefix gives exactly what a stable sort by {@code String.compareTo} gives. */
class PrefixSortTest {
  private static final Comparator<Object> NATURAL =
      new PrefixSort.NaturalKeyOrder((a, b) -> ((String) a).compareTo((String) b));

  /** Random keys over {@code alphabet}, 0 to 12 characters, many sharing long prefixes. */
  private static List<Pair<String, Integer>> records(int n, String alphabet, long seed) {
    Random rnd = new Random(seed);
    List<String> stems = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      stems.add(word(rnd, alphabet, 9));
    }
    List<Pair<String, Integer>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String key = rnd.nextBoolean()
          ? word(rnd, alphabet, 12)
          : stems.get(rnd.nextInt(stems.size())) + word(rnd, alphabet, 3);
      out.add(Pair.of(key, i));
    }
    return out;
  }

  private static String word(Random rnd, String alphabet, int maxLength) {
    StringBuilder b = new StringBuilder();
    int len = rnd.nextInt(maxLength + 1);
    for (int i = 0; i < len; i++) {
      b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** Sorts through PartitionedRecords (as a sorter does) and compares with List.sort by key. */
  private static void assertSortsLikeJava(List<Pair<String, Integer>> records, int numPartitions) {
    int[] partitions = new int[records.size()];
    for (int i = 0; i < partitions.length; i++) {
      partitions[i] = Math.floorMod(i * 31, numPartitions);
    }
    PartitionedRecords<String, Integer> sorted =
        PartitionedRecords.sort(records.toArray(), partitions, records.size(), numPartitions, NATURAL);
    for (int p = 0; p < numPartitions; p++) {
      List<Pair<String, Integer>> expected = new ArrayList<>();
      for (int i = 0; i < partitions.length; i++) {
        if (partitions[i] == p) {
          expected.add(records.get(i));
        }
      }
      expected.sort(Comparator.comparing(Pair::key)); // stable: equal keys keep input order
      List<Pair<String, Integer>> actual = new ArrayList<>();
      sorted.partition(p).forEachRemaining(actual::add);
      assertEquals(expected, actual, "partition " + p);
    }
  }

  @Test
  void asciiKeysWithSharedPrefixesAndEqualKeys() {
    assertSortsLikeJava(records(50_000, "ab", 1), 3);          // few letters: many ties past 8 chars
    assertSortsLikeJava(records(50_000, " !AZaz~", 2), 1);
  }

  @Test
  void latin1KeysAboveAsciiSortUnsigned() {
    assertSortsLikeJava(records(20_000, "a\u007f\u0080\u00e9\u00ff", 3), 2);
  }

  @Test
  void keysBeyondLatin1FallBackToSixteenBitPrefixes() {
    assertSortsLikeJava(records(20_000, "a\u00ff\u0100\u6f22\ud83d\ude00\uffff", 4), 2);
  }

  @Test
  void aKeyThatIsNotAStringLeavesTheRangeToTheComparator() {
    Object[] pairs = {Pair.of("b", 0), Pair.of(7, 1), Pair.of("a", 2)};
    Object[] before = pairs.clone();
    assertFalse(PrefixSort.sortStringKeys(pairs, 0, 3, NATURAL));
    assertArrayEquals(before, pairs);
    assertTrue(PrefixSort.sortStringKeys(pairs, 2, 3, NATURAL));
  }

  @Test
  void radixSortOrdersLongsAsUnsigned() {
    Random rnd = new Random(5);
    long[] keys = new long[10_000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = i % 3 == 0 ? rnd.nextLong() : rnd.nextInt(1000) - 500;
    }
    Long[] values = Arrays.stream(keys).boxed().toArray(Long[]::new);
    Object[] moved = values.clone();
    long[] sorted = keys.clone();
    PrefixSort.radixSort(sorted, moved);

    Arrays.sort(values, Long::compareUnsigned);
    assertArrayEquals(values, moved);
    assertArrayEquals(Arrays.stream(values).mapToLong(Long::longValue).toArray(), sorted);
  }
}
