package io.weft.util;

import java.util.Arrays;

/**
 * A growable list of primitive ints, for indexes that hold a few entries per task or per block:
 * too many to box. Not thread-safe.
 */
public final class IntList {
  private int[] values = new int[8];
  private int size;

  public void add(int v) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = v;
  }

  public int size() {
    return size;
  }

  /** A copy of the values, exactly {@link #size()} long. */
  public int[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
