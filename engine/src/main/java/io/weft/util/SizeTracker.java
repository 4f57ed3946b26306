package io.weft.util;

import java.util.function.LongSupplier;

/**
 * Keeps a cheap running estimate of a growing collection's heap size, as Spark's
 * {@code SizeTracker} does: walking the whole collection with {@link SizeEstimator} after every
 * update would be quadratic, so the collection is re-estimated only at exponentially spaced
 * update counts (each 10% more updates than the last) and the bytes per update between the
 * last two samples extrapolate the size in between.
 *
 * <p>Example: samples at updates 1000 (80 KB) and 1100 (88 KB) give 80 bytes per update, so
 * after 1150 updates the estimate is 92 KB; the next real sample is at update 1210.
 *
 * <p>The owning collection calls {@link #afterUpdate()} after each insert or in-place update
 * and {@link #resetSamples()} after a change that moves its size in a jump (growing its table).
 * Not thread-safe: it belongs to one collection of one task.
 */
public final class SizeTracker {
  private static final double SAMPLE_GROWTH_RATE = 1.1;

  private final LongSupplier fullEstimate;
  private long numUpdates;
  private long nextSampleNum;
  private long lastSize;
  private long lastUpdates;
  private long previousSize;
  private long previousUpdates;
  private boolean hasPrevious;
  private double bytesPerUpdate;

  /** Tracks {@code target}, which is estimated in full at each sample. */
  public SizeTracker(Object target) {
    this(() -> SizeEstimator.estimate(target));
  }

  /**
   * Tracks a collection whose full estimate {@code fullEstimate} computes; collections use it to
   * measure only their data, not helpers such as their user functions.
   */
  public SizeTracker(LongSupplier fullEstimate) {
    this.fullEstimate = fullEstimate;
    resetSamples();
  }

  /** Forgets old samples and takes a fresh one. */
  public void resetSamples() {
    numUpdates = 1;
    nextSampleNum = 1;
    hasPrevious = false;
    takeSample();
  }

  public void afterUpdate() {
    numUpdates++;
    if (numUpdates == nextSampleNum) {
      takeSample();
    }
  }

  private void takeSample() {
    if (numUpdates > 1 || hasPrevious) {
      previousSize = lastSize;
      previousUpdates = lastUpdates;
      hasPrevious = true;
    }
    lastSize = fullEstimate.getAsLong();
    lastUpdates = numUpdates;
    bytesPerUpdate = hasPrevious && lastUpdates > previousUpdates
        ? Math.max(0, (double) (lastSize - previousSize) / (lastUpdates - previousUpdates))
        : 0;
    nextSampleNum = (long) Math.ceil(numUpdates * SAMPLE_GROWTH_RATE);
  }

  /** The estimated current size in bytes. */
  public long estimateSize() {
    return (long) (lastSize + bytesPerUpdate * (numUpdates - lastUpdates));
  }
}
