package io.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.serialization.JavaSerializer;
import io.weft.shuffle.MapOutputLocation;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Block sizes survive compression: empty exactly empty, huge blocks exact, the rest close. */
class MapStatusTest {
  private static final MapOutputLocation AT = new MapOutputLocation("exec-1", "host-1", 7000);
  private static final long HUGE = 1L << 20;

  @Test
  void fewPartitionsKeepEveryBlockWithinTenPercentAndEmptyExactly() {
    long[] sizes = {0, 1, 2, 3, 999, 1000, 1001, 65_536, 0, 123_456_789L, 40L << 30};
    MapStatus s = MapStatus.of(AT, sizes, 2000, HUGE);
    assertInstanceOf(CompressedMapStatus.class, s);
    assertEquals(AT, s.location());
    assertEquals(sizes.length, s.numPartitions());
    long total = 0;
    for (int r = 0; r < sizes.length - 1; r++) {
      long got = s.blockSize(r);
      if (sizes[r] == 0) {
        assertEquals(0, got, "block " + r + " is empty");
      } else {
        assertTrue(got >= sizes[r] && got <= sizes[r] * 1.1 + 1, "block " + r + ": " + sizes[r] + " -> " + got);
      }
      total += sizes[r];
    }
    // beyond 1.1^255 bytes (~35 GB) the byte saturates: still non-empty, never 0
    assertTrue(s.blockSize(sizes.length - 1) > 30L << 30);
    assertEquals(total + sizes[sizes.length - 1], s.totalBytes(), "the total is exact");
  }

  @Test
  void manyPartitionsKnowExactlyWhichBlocksAreEmpty() {
    Random rnd = new Random(7);
    long[] sizes = new long[5000];
    for (int r = 0; r < sizes.length; r++) {
      sizes[r] = rnd.nextInt(100) < 97 ? 0 : 1 + rnd.nextInt(10_000);
    }
    sizes[4999] = 1; // a one-byte block at the very end is still non-empty
    MapStatus s = MapStatus.of(AT, sizes, 2000, HUGE);
    assertInstanceOf(HighlyCompressedMapStatus.class, s);
    long nonEmpty = 0;
    long bytes = 0;
    for (int r = 0; r < sizes.length; r++) {
      assertEquals(sizes[r] == 0, s.blockSize(r) == 0, "block " + r + " of size " + sizes[r]);
      if (sizes[r] > 0) {
        nonEmpty++;
        bytes += sizes[r];
      }
    }
    assertTrue(nonEmpty > 50);
    for (int r = 0; r < sizes.length; r++) {
      if (sizes[r] > 0) {
        assertEquals(bytes / nonEmpty, s.blockSize(r), "non-huge blocks report the average");
      }
    }
    assertEquals(bytes, s.totalBytes());
  }

  @Test
  void hugeBlocksKeepTheirExactSize() {
    long[] sizes = new long[3000];
    sizes[10] = 100;
    sizes[11] = 300;
    sizes[2000] = HUGE + 1;
    sizes[2999] = 5L << 40;
    MapStatus s = MapStatus.of(AT, sizes, 2000, HUGE);
    assertEquals(HUGE + 1, s.blockSize(2000));
    assertEquals(5L << 40, s.blockSize(2999));
    assertEquals(200, s.blockSize(10), "average of the blocks that are not huge");
    assertEquals(200, s.blockSize(11));
    assertEquals(0, s.blockSize(12));
    assertEquals(0, s.blockSize(0));
  }

  @Test
  void theThresholdChoosesTheFormAndTheHighlyCompressedOneIsSmall() {
    assertInstanceOf(CompressedMapStatus.class, MapStatus.of(AT, new long[2000], 2000, HUGE));
    assertInstanceOf(HighlyCompressedMapStatus.class, MapStatus.of(AT, new long[2001], 2000, HUGE));
    long[] sizes = new long[5000];
    for (int r = 0; r < sizes.length; r += 100) {
      sizes[r] = 777;
    }
    MapStatus s = MapStatus.of(AT, sizes, 2000, HUGE);
    int bytes = JavaSerializer.instance().serialize(s).length;
    // 5,000 longs would be 40,000 bytes; a bitmap is 625 plus the serialization's overhead
    assertTrue(bytes < 2_000, "serialized size " + bytes);
  }
}
