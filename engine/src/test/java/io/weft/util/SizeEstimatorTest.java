package io.weft.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SizeEstimatorTest {
  static final class Node {
    Node next;
    long value;
    String name;
  }

  @Test
  void boxedAndStringsFollowTheCompressedOopsLayout() {
    assertEquals(16, SizeEstimator.estimate(42));
    assertEquals(24, SizeEstimator.estimate(42L));
    assertEquals(24, SizeEstimator.estimate(1.0));
    // 24-byte String + byte[16 + 5 -> 24]
    assertEquals(48, SizeEstimator.estimate("hello"));
    assertEquals(16 + 1000 + 0, SizeEstimator.estimate(new byte[1000]));
    assertEquals(16 + 8 * 10, SizeEstimator.estimate(new long[10]));
  }

  @Test
  void sharedObjectsCountOnceAndCyclesTerminate() {
    String shared = "x".repeat(100);
    long one = SizeEstimator.estimate(Pair.of(shared, 1));
    long both = SizeEstimator.estimate(Pair.of(shared, shared));
    assertEquals(one - 16, both); // the Integer is gone, the string is counted once

    Node a = new Node();
    Node b = new Node();
    a.next = b;
    b.next = a;
    a.name = "a";
    b.name = "b";
    long size = SizeEstimator.estimate(a);
    // Node: header 12 + ref 4 + long 8 + ref 4 = 28 -> 32; two nodes, two 1-char strings (24 + 24)
    assertEquals(2 * 32 + 2 * 48, size);
  }

  @Test
  void largeArraysAreSampledCloseToTheExactSize() {
    Random rnd = new Random(3);
    Object[] array = new Object[20_000];
    // the exact size from the layout (compressed oops), not from the estimator under test:
    // Object[] header 16 + 4 per reference; per element a Pair (12 + 2 refs -> 24), a Long
    // (12 + 8 -> 24), a String (12 + ref + hash + coder + flag -> 24) and its Latin-1 byte[]
    // (16 + length, rounded up to 8). Lengths from 2: repeat(0) and repeat(1) return shared strings.
    long exact = 16 + 4L * array.length;
    for (int i = 0; i < array.length; i++) {
      int length = 2 + rnd.nextInt(40);
      array[i] = Pair.of("v".repeat(length), 1_000L + i);
      exact += 24 + 24 + 24 + align8(16 + length);
    }
    long estimate = SizeEstimator.estimate(array);
    assertTrue(Math.abs(estimate - exact) < exact * 0.1, "estimate " + estimate + " vs exact " + exact);
  }

  private static long align8(long bytes) {
    return (bytes + 7) / 8 * 8;
  }

  @Test
  void trackerExtrapolatesCloseToAFullEstimate() {
    List<Object> list = new ArrayList<>();
    SizeTracker tracker = new SizeTracker(list);
    for (int i = 0; i < 50_000; i++) {
      list.add(Pair.of("key-" + i, i));
      tracker.afterUpdate();
    }
    long full = SizeEstimator.estimate(list);
    long tracked = tracker.estimateSize();
    assertTrue(Math.abs(tracked - full) < full * 0.15, "tracked " + tracked + " vs full " + full);
  }
}
