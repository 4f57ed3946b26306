package io.weft.scheduler;

import io.weft.shuffle.MapOutputLocation;
import java.util.Arrays;
import java.util.BitSet;

/**
 * A {@link MapStatus} for outputs with many partitions (as Spark's
 * {@code HighlyCompressedMapStatus}): which blocks are non-empty (a bitmap, exact), the exact size
 * of every huge block (above {@code weft.shuffle.mapStatus.accurateBlockThreshold}), and the
 * average size of the other non-empty blocks, reported for each of them. Its size grows with R/8
 * bytes plus the huge blocks, not with 8R.
 *
 * <p>Example: sizes {0, 10, 30, 0, 500} with threshold 100 keep non-empty {1, 2, 4}, huge
 * {4: 500}, average 20: blockSize gives 0, 20, 20, 0, 500.
 */
public final class HighlyCompressedMapStatus implements MapStatus {
  private static final long serialVersionUID = 1L;

  private final MapOutputLocation location;
  private final int numPartitions;
  private final BitSet nonEmpty;
  private final long averageSize;
  private final int[] hugeBlocks;
  private final long[] hugeSizes;
  private final long totalBytes;

  private HighlyCompressedMapStatus(MapOutputLocation location, int numPartitions, BitSet nonEmpty,
      long averageSize, int[] hugeBlocks, long[] hugeSizes, long totalBytes) {
    this.location = location;
    this.numPartitions = numPartitions;
    this.nonEmpty = nonEmpty;
    this.averageSize = averageSize;
    this.hugeBlocks = hugeBlocks;
    this.hugeSizes = hugeSizes;
    this.totalBytes = totalBytes;
  }

  static HighlyCompressedMapStatus of(MapOutputLocation location, long[] sizes, long accurateBlockThreshold) {
    BitSet nonEmpty = new BitSet(sizes.length);
    int huge = 0;
    long total = 0;
    long smallBytes = 0;
    int smallBlocks = 0;
    for (int r = 0; r < sizes.length; r++) {
      long s = sizes[r];
      total += s;
      if (s <= 0) {
        continue;
      }
      nonEmpty.set(r);
      if (s > accurateBlockThreshold) {
        huge++;
      } else {
        smallBytes += s;
        smallBlocks++;
      }
    }
    int[] hugeBlocks = new int[huge];
    long[] hugeSizes = new long[huge];
    int h = 0;
    for (int r = 0; r < sizes.length && h < huge; r++) {
      if (sizes[r] > accurateBlockThreshold) {
        hugeBlocks[h] = r;
        hugeSizes[h++] = sizes[r];
      }
    }
    long average = smallBlocks == 0 ? 0 : Math.max(1, smallBytes / smallBlocks);
    return new HighlyCompressedMapStatus(location, sizes.length, nonEmpty, average, hugeBlocks, hugeSizes, total);
  }

  @Override
  public MapOutputLocation location() {
    return location;
  }

  @Override
  public int numPartitions() {
    return numPartitions;
  }

  @Override
  public long blockSize(int reduceId) {
    if (reduceId < 0 || reduceId >= numPartitions) {
      throw new IndexOutOfBoundsException("reduce partition " + reduceId + " of " + numPartitions);
    }
    if (!nonEmpty.get(reduceId)) {
      return 0;
    }
    int h = Arrays.binarySearch(hugeBlocks, reduceId);
    return h >= 0 ? hugeSizes[h] : averageSize;
  }

  @Override
  public long totalBytes() {
    return totalBytes;
  }

  @Override
  public String toString() {
    return "HighlyCompressedMapStatus(" + location + ", " + nonEmpty.cardinality() + " of " + numPartitions
        + " blocks non-empty, " + hugeBlocks.length + " huge, " + totalBytes + " bytes)";
  }
}
