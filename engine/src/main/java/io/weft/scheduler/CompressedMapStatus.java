package io.weft.scheduler;

import io.weft.shuffle.MapOutputLocation;

/**
 * A {@link MapStatus} with one byte per block: 0 for an empty block, else the block's size on a
 * logarithmic scale of base 1.1 (as Spark's {@code CompressedMapStatus}). A decoded size is at
 * least the real one and less than 10% above it, for blocks up to 1.1^255 bytes (about 35 GB;
 * larger ones are reported as 35 GB). Used for outputs with few partitions: R bytes per map.
 *
 * <p>Example: sizes {0, 1, 1000} encode as {0, 1, 73} and decode as {0, 1, 1051}.
 */
public final class CompressedMapStatus implements MapStatus {
  private static final long serialVersionUID = 1L;
  private static final double LOG_BASE = 1.1;

  private final MapOutputLocation location;
  private final byte[] sizes;
  private final long totalBytes;

  private CompressedMapStatus(MapOutputLocation location, byte[] sizes, long totalBytes) {
    this.location = location;
    this.sizes = sizes;
    this.totalBytes = totalBytes;
  }

  static CompressedMapStatus of(MapOutputLocation location, long[] sizes) {
    byte[] encoded = new byte[sizes.length];
    long total = 0;
    for (int r = 0; r < sizes.length; r++) {
      encoded[r] = encode(sizes[r]);
      total += sizes[r];
    }
    return new CompressedMapStatus(location, encoded, total);
  }

  /** The one-byte form of {@code size}: 0 only for 0. */
  static byte encode(long size) {
    if (size <= 0) {
      return 0;
    }
    if (size <= 1) {
      return 1;
    }
    return (byte) Math.min(255, (int) Math.ceil(Math.log(size) / Math.log(LOG_BASE)));
  }

  /** The size a byte stands for: 0 for 0, else at least 1. */
  static long decode(byte b) {
    int v = b & 0xFF;
    return v == 0 ? 0 : Math.max(1, (long) Math.pow(LOG_BASE, v));
  }

  @Override
  public MapOutputLocation location() {
    return location;
  }

  @Override
  public int numPartitions() {
    return sizes.length;
  }

  @Override
  public long blockSize(int reduceId) {
    return decode(sizes[reduceId]);
  }

  @Override
  public long totalBytes() {
    return totalBytes;
  }

  @Override
  public String toString() {
    return "CompressedMapStatus(" + location + ", " + sizes.length + " blocks, " + totalBytes + " bytes)";
  }
}
