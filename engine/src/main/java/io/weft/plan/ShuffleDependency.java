package io.weft.plan;

import io.weft.Pair;
import io.weft.Partitioner;
import io.weft.serialization.Serializer;
import java.util.Comparator;

/**
 * A shuffle: every map partition of {@code parent} is split by {@code partitioner} into one block
 * per reduce partition. With an aggregator, values of a key are combined (on the map side too
 * when {@code mapSideCombine}); with a key ordering, each reduce partition comes out sorted.
 *
 * <p>The parent is transient: a reduce task only needs the shuffle's id and how to read it; the
 * map side ships the parent explicitly in its task binary.
 */
public final class ShuffleDependency<K, V, C> extends Dependency {
  private final transient Node<Pair<K, V>> parent;
  private final int shuffleId;
  private final Partitioner partitioner;
  private final Serializer serializer;
  private final Aggregator<K, V, C> aggregator;
  private final boolean mapSideCombine;
  private final Comparator<? super K> keyOrdering;
  private final String operation;

  public ShuffleDependency(Node<Pair<K, V>> parent, int shuffleId, Partitioner partitioner,
      Serializer serializer, Aggregator<K, V, C> aggregator, boolean mapSideCombine,
      Comparator<? super K> keyOrdering) {
    this(parent, shuffleId, partitioner, serializer, aggregator, mapSideCombine, keyOrdering, "shuffle");
  }

  /**
   * @param operation the user-facing operation that shuffles ({@code reduceByKey}, {@code join}...),
   *     named in errors about its keys
   */
  public ShuffleDependency(Node<Pair<K, V>> parent, int shuffleId, Partitioner partitioner,
      Serializer serializer, Aggregator<K, V, C> aggregator, boolean mapSideCombine,
      Comparator<? super K> keyOrdering, String operation) {
    if (mapSideCombine && aggregator == null) {
      throw new IllegalArgumentException("map-side combine needs an aggregator");
    }
    this.parent = parent;
    this.shuffleId = shuffleId;
    this.partitioner = partitioner;
    this.serializer = serializer;
    this.aggregator = aggregator;
    this.mapSideCombine = mapSideCombine;
    this.keyOrdering = keyOrdering;
    this.operation = operation;
    if (parent != null && parent.context() != null) {
      // once no dataset reaches this dependency, the shuffle's files can go
      parent.context().cleaner().registerShuffle(this, shuffleId);
    }
  }

  @Override
  public Node<Pair<K, V>> parent() {
    return parent;
  }

  public int shuffleId() {
    return shuffleId;
  }

  public Partitioner partitioner() {
    return partitioner;
  }

  public Serializer serializer() {
    return serializer;
  }

  /** The aggregator, or null when values are passed through (sortByKey, cogroup, repartition). */
  public Aggregator<K, V, C> aggregator() {
    return aggregator;
  }

  public boolean mapSideCombine() {
    return mapSideCombine;
  }

  /** The key ordering, or null when reduce partitions need not be sorted. */
  public Comparator<? super K> keyOrdering() {
    return keyOrdering;
  }

  /** The operation that asked for this shuffle, for error messages ({@code "reduceByKey"}). */
  public String operation() {
    return operation;
  }

  @Override
  public String toString() {
    return "ShuffleDependency(shuffle " + shuffleId + ", " + partitioner + ")";
  }
}
