package io.weft.shuffle;

import io.weft.util.IntList;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The blocks one task reads of one shuffle: for the reduce partitions it {@linkplain #covers
 * covers}, every non-empty block, in map order, with the map output's location and the block's
 * (estimated) size. Empty blocks are not listed: the driver knows from the map statuses that they
 * hold nothing, so the reducer neither fetches them nor reads their index.
 *
 * <p>The driver builds one per task and shuffle at launch, from the map statuses of the stage
 * attempt; it travels with the task (as a reference in local mode, in {@code LaunchTask}
 * otherwise), so a task carries what it needs, not the locations of every map output: with 20,000
 * maps and 5,000 reducers that is the difference between about 200 entries and 20,000 per task.
 * Locations are listed once each and referred to by index.
 *
 * <p>Example: reduce partition 3 of a shuffle whose maps 0 and 2 (on executor A) and 1 (on B)
 * wrote 10, 0 and 7 bytes for it: covers {3}, locations [A], blocks (map 0, reduce 3, A, 10) and
 * (map 2, reduce 3, A, 7).
 *
 * <p>Immutable and thread-safe.
 */
public final class ShuffleBlocks implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int shuffleId;
  private final int[] reducePartitions;
  private final List<MapOutputLocation> locations;
  private final int[] mapIndexes;
  private final int[] reduceIds;
  private final int[] locationIndexes;
  private final long[] sizes;

  /**
   * @param reducePartitions the reduce partitions the task reads, ascending
   * @param locations distinct map output locations, referred to by {@code locationIndexes}
   */
  public ShuffleBlocks(int shuffleId, int[] reducePartitions, List<MapOutputLocation> locations,
      int[] mapIndexes, int[] reduceIds, int[] locationIndexes, long[] sizes) {
    if (mapIndexes.length != reduceIds.length || mapIndexes.length != locationIndexes.length
        || mapIndexes.length != sizes.length) {
      throw new IllegalArgumentException("block arrays of different lengths for shuffle " + shuffleId);
    }
    this.shuffleId = shuffleId;
    this.reducePartitions = reducePartitions.clone();
    this.locations = List.copyOf(locations);
    this.mapIndexes = mapIndexes.clone();
    this.reduceIds = reduceIds.clone();
    this.locationIndexes = locationIndexes.clone();
    this.sizes = sizes.clone();
  }

  public int shuffleId() {
    return shuffleId;
  }

  /** True if the task was given the blocks of reduce partition {@code reduceId}. */
  public boolean covers(int reduceId) {
    return Arrays.binarySearch(reducePartitions, reduceId) >= 0;
  }

  public int[] reducePartitions() {
    return reducePartitions.clone();
  }

  /** The number of non-empty blocks listed. */
  public int blockCount() {
    return mapIndexes.length;
  }

  public int mapIndex(int block) {
    return mapIndexes[block];
  }

  public int reduceId(int block) {
    return reduceIds[block];
  }

  public MapOutputLocation location(int block) {
    return locations.get(locationIndexes[block]);
  }

  /** The block's size as its map status reports it: more than 0, possibly an estimate. */
  public long blockSize(int block) {
    return sizes[block];
  }

  public List<MapOutputLocation> locations() {
    return locations;
  }

  public int locationIndex(int block) {
    return locationIndexes[block];
  }

  /** Collects blocks in the order they will be read; locations are deduplicated as they come. */
  public static final class Builder {
    private final int shuffleId;
    private final int[] reducePartitions;
    private final List<MapOutputLocation> locations = new ArrayList<>();
    private final Map<MapOutputLocation, Integer> locationIndex = new HashMap<>();
    private final IntList mapIndexes = new IntList();
    private final IntList reduceIds = new IntList();
    private final IntList locationIndexes = new IntList();
    private long[] sizes = new long[8];

    public Builder(int shuffleId, int[] reducePartitions) {
      this.shuffleId = shuffleId;
      this.reducePartitions = reducePartitions.clone();
      Arrays.sort(this.reducePartitions);
    }

    public Builder add(int mapIndex, int reduceId, MapOutputLocation location, long size) {
      int n = mapIndexes.size();
      if (n == sizes.length) {
        sizes = Arrays.copyOf(sizes, n * 2);
      }
      sizes[n] = size;
      mapIndexes.add(mapIndex);
      reduceIds.add(reduceId);
      locationIndexes.add(locationIndex.computeIfAbsent(location, l -> {
        locations.add(l);
        return locations.size() - 1;
      }));
      return this;
    }

    public ShuffleBlocks build() {
      int n = mapIndexes.size();
      return new ShuffleBlocks(shuffleId, reducePartitions, locations, mapIndexes.toArray(),
          reduceIds.toArray(), locationIndexes.toArray(), Arrays.copyOf(sizes, n));
    }
  }


  @Override
  public boolean equals(Object o) {
    return o instanceof ShuffleBlocks b && shuffleId == b.shuffleId
        && Arrays.equals(reducePartitions, b.reducePartitions) && locations.equals(b.locations)
        && Arrays.equals(mapIndexes, b.mapIndexes) && Arrays.equals(reduceIds, b.reduceIds)
        && Arrays.equals(locationIndexes, b.locationIndexes) && Arrays.equals(sizes, b.sizes);
  }

  @Override
  public int hashCode() {
    return 31 * shuffleId + Arrays.hashCode(mapIndexes);
  }

  @Override
  public String toString() {
    return "ShuffleBlocks(shuffle " + shuffleId + ", reduce " + Arrays.toString(reducePartitions) + ", "
        + blockCount() + " non-empty blocks on " + locations.size() + " executors)";
  }
}
