package io.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link HashPartitioner} against {@code Math.floorMod} of the key's hash, for every partition count shape. */
class HashPartitionerTest {
  @Test
  void partitionIsTheFloorModOfTheKeysHash() {
    List<Integer> hashes = new ArrayList<>(List.of(0, 1, -1, 7, -8, Integer.MIN_VALUE, Integer.MAX_VALUE,
        Integer.MIN_VALUE + 1, Integer.MAX_VALUE - 1));
    Random random = new Random(5);
    for (int i = 0; i < 2_000; i++) {
      hashes.add(random.nextInt());
    }
    List<Integer> counts = new ArrayList<>();
    for (int n = 1; n <= 70; n++) {
      counts.add(n);
    }
    counts.addAll(List.of(128, 200, 256, 1 << 20, (1 << 20) + 1, Integer.MAX_VALUE));
    for (int n : counts) {
      HashPartitioner partitioner = new HashPartitioner(n);
      for (int h : hashes) {
        // an Integer key hashes to itself
        assertEquals(Math.floorMod(h, n), partitioner.partitionFor(h), "hash " + h + " into " + n);
      }
      assertEquals(Math.floorMod("word".hashCode(), n), partitioner.partitionFor("word"));
      assertEquals(0, partitioner.partitionFor(null));
    }
  }
}
