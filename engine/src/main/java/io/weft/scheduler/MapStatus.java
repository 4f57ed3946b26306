package io.weft.scheduler;

import io.weft.shuffle.MapOutputLocation;
import java.io.Serializable;

/**
 * What a shuffle map task produced: where its output is and how large each reduce block is. The
 * executor builds it from the exact block lengths it wrote and sends it to the driver, which keeps
 * one per map partition (see {@link MapOutputTracker}) and tells each reduce task which blocks it
 * has to read.
 *
 * <p>Sizes are compressed so that M map outputs of R blocks each do not cost the driver M x R
 * longs (20,000 x 5,000 would be 800 MB): up to {@code weft.shuffle.mapStatus.highlyCompressAbove}
 * partitions a {@link CompressedMapStatus} keeps one log-scale byte per block; above, a
 * {@link HighlyCompressedMapStatus} keeps a bitmap of the non-empty blocks, their average size and
 * the exact size of every huge block. Either way the contract reducers rely on holds:
 * {@link #blockSize} is 0 exactly when the block is empty, so an empty block is never fetched and
 * a block with data is never skipped. Non-zero sizes are estimates.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface MapStatus extends Serializable permits CompressedMapStatus, HighlyCompressedMapStatus {

  /** The executor that wrote the output and its block server. */
  MapOutputLocation location();

  /** The number of reduce partitions (blocks) of the output. */
  int numPartitions();

  /** 0 if block {@code reduceId} is empty, else an estimate of its length in bytes (at least 1). */
  long blockSize(int reduceId);

  /** The exact number of bytes the map task wrote, all blocks together. */
  long totalBytes();

  /**
   * The status of an output with blocks of exactly {@code sizes}: highly compressed when there are
   * more than {@code highlyCompressAbove} blocks, blocks above {@code accurateBlockThreshold} bytes
   * then keeping their exact size.
   */
  static MapStatus of(MapOutputLocation location, long[] sizes, int highlyCompressAbove,
      long accurateBlockThreshold) {
    return sizes.length > highlyCompressAbove
        ? HighlyCompressedMapStatus.of(location, sizes, accurateBlockThreshold)
        : CompressedMapStatus.of(location, sizes);
  }
}
