package io.weft.scheduler;

import io.weft.shuffle.MapOutputLocation;
import java.io.Serializable;

/** What a shuffle map task produced: where its output is and how large each reduce block is. */
public record MapStatus(MapOutputLocation location, long[] blockSizes) implements Serializable {
  public long totalBytes() {
    long sum = 0;
    for (long s : blockSizes) {
      sum += s;
    }
    return sum;
  }
}
