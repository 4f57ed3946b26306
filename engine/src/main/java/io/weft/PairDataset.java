package io.weft;

import io.weft.function.FlatMapFn;
import io.weft.function.Fn;
import io.weft.function.Fn2;
import io.weft.function.PredicateFn;
import io.weft.io.TextOutput;
import io.weft.io.hadoop.HadoopOutput;
import io.weft.plan.Aggregator;
import io.weft.plan.CoGroupedNode;
import io.weft.plan.Iterators;
import io.weft.plan.MapPartitionsNode;
import io.weft.plan.Node;
import io.weft.plan.ShuffleDependency;
import io.weft.plan.ShuffledNode;
import io.weft.plan.join.JoinPlanner;
import io.weft.plan.join.JoinType;
import io.weft.serialization.JavaSerializer;
import io.weft.serialization.RecordBatches;
import io.weft.serialization.Serializer;
import io.weft.shuffle.sort.ExternalSorter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;

/**
 * A dataset of key-value {@link Pair}s, with the operations that group, combine, join and sort
 * by key. Every operation that shuffles has an overload taking the number of output partitions;
 * without it, the result has as many partitions as {@code weft.default.parallelism} if set, else
 * as its largest parent.
 *
 * <p>When a dataset is already partitioned by the partitioner an operation needs (after
 * {@link #partitionBy} or a previous {@code reduceByKey}), the operation runs without a shuffle.
 */
public class PairDataset<K, V> extends Dataset<Pair<K, V>> {

  public PairDataset(Node<Pair<K, V>> node) {
    super(node);
  }

  /** {@link Dataset#checkpoint()}, keeping the partitioner (a join on it needs no new shuffle). */
  @Override
  public PairDataset<K, V> checkpoint() {
    return new PairDataset<>(io.weft.io.CheckpointNode.write(node()));
  }

  /** {@link Dataset#localCheckpoint()}, keeping the partitioner. */
  @Override
  public PairDataset<K, V> localCheckpoint() {
    return new PairDataset<>(io.weft.io.LocalCheckpointNode.write(node()));
  }

  // ---------------------------------------------------------------- aggregation

  public PairDataset<K, V> reduceByKey(Fn2<V, V, V> f) {
    return reduceByKey(f, defaultPartitioner());
  }

  public PairDataset<K, V> reduceByKey(Fn2<V, V, V> f, int numPartitions) {
    return reduceByKey(f, new HashPartitioner(numPartitions));
  }

  public PairDataset<K, V> reduceByKey(Fn2<V, V, V> f, Partitioner partitioner) {
    return reduceByKey(f, partitioner, "reduceByKey");
  }

  /** reduceByKey on behalf of {@code operation} (distinct, countByKey...), named in key errors. */
  PairDataset<K, V> reduceByKey(Fn2<V, V, V> f, Partitioner partitioner, String operation) {
    return combine(v -> v, f, f, partitioner, true, operation);
  }

  public PairDataset<K, V> foldByKey(V zero, Fn2<V, V, V> f) {
    return foldByKey(zero, f, defaultPartitioner());
  }

  public PairDataset<K, V> foldByKey(V zero, Fn2<V, V, V> f, int numPartitions) {
    return foldByKey(zero, f, new HashPartitioner(numPartitions));
  }

  public PairDataset<K, V> foldByKey(V zero, Fn2<V, V, V> f, Partitioner partitioner) {
    byte[] zeroBytes = serialize(zero);
    return combine(v -> f.call(ZeroValue.<V>copy(zeroBytes), v), f, f, partitioner, true, "foldByKey");
  }

  public <U> PairDataset<K, U> aggregateByKey(U zero, Fn2<U, V, U> seqOp, Fn2<U, U, U> combOp) {
    return aggregateByKey(zero, seqOp, combOp, defaultPartitioner());
  }

  public <U> PairDataset<K, U> aggregateByKey(U zero, Fn2<U, V, U> seqOp, Fn2<U, U, U> combOp,
      int numPartitions) {
    return aggregateByKey(zero, seqOp, combOp, new HashPartitioner(numPartitions));
  }

  public <U> PairDataset<K, U> aggregateByKey(U zero, Fn2<U, V, U> seqOp, Fn2<U, U, U> combOp,
      Partitioner partitioner) {
    byte[] zeroBytes = serialize(zero);
    return combine(v -> seqOp.call(ZeroValue.<U>copy(zeroBytes), v), seqOp, combOp,
        partitioner, true, "aggregateByKey");
  }

  public <C> PairDataset<K, C> combineByKey(Fn<V, C> createCombiner, Fn2<C, V, C> mergeValue,
      Fn2<C, C, C> mergeCombiners) {
    return combineByKey(createCombiner, mergeValue, mergeCombiners, defaultPartitioner(), true);
  }

  public <C> PairDataset<K, C> combineByKey(Fn<V, C> createCombiner, Fn2<C, V, C> mergeValue,
      Fn2<C, C, C> mergeCombiners, int numPartitions) {
    return combineByKey(createCombiner, mergeValue, mergeCombiners, new HashPartitioner(numPartitions), true);
  }

  /**
   * The general form of per-key aggregation. With {@code mapSideCombine}, values are combined in
   * each map task before the shuffle (less data to move); without, every value crosses it.
   */
  public <C> PairDataset<K, C> combineByKey(Fn<V, C> createCombiner, Fn2<C, V, C> mergeValue,
      Fn2<C, C, C> mergeCombiners, Partitioner partitioner, boolean mapSideCombine) {
    return combine(createCombiner, mergeValue, mergeCombiners, partitioner, mapSideCombine, "combineByKey");
  }

  private <C> PairDataset<K, C> combine(Fn<V, C> createCombiner, Fn2<C, V, C> mergeValue,
      Fn2<C, C, C> mergeCombiners, Partitioner partitioner, boolean mapSideCombine, String operation) {
    Aggregator<K, V, C> agg = new Aggregator<>(createCombiner, mergeValue, mergeCombiners);
    if (partitioner.equals(node().partitioner())) {
      // already partitioned this way: combine inside each partition, no shuffle
      Serializer serializer = context().serializer();
      return new PairDataset<>(new MapPartitionsNode<>(node(), (task, p, it) -> {
        ExternalSorter<K, V, C> sorter = new ExternalSorter<>(task, agg, null, null, serializer);
        sorter.insertAll(it);
        return sorter.iterator();
      }, true));
    }
    ShuffleDependency<K, V, C> dep = new ShuffleDependency<>(node(), context().newShuffleId(),
        partitioner, context().serializer(), agg, mapSideCombine, null, operation);
    return new PairDataset<>(new ShuffledNode<>(dep));
  }

  /** All values of each key, in one list per key (no map-side combine: it would not shrink data). */
  public PairDataset<K, Iterable<V>> groupByKey() {
    return groupByKey(defaultPartitioner());
  }

  public PairDataset<K, Iterable<V>> groupByKey(int numPartitions) {
    return groupByKey(new HashPartitioner(numPartitions));
  }

  public PairDataset<K, Iterable<V>> groupByKey(Partitioner partitioner) {
    Aggregator<K, V, ArrayList<V>> lists = Aggregator.grouping();
    PairDataset<K, ArrayList<V>> grouped = combine(lists.createCombiner(), lists.mergeValue(), lists.mergeCombiners(),
        partitioner, false, "groupByKey");
    return grouped.mapValues(l -> (Iterable<V>) l);
  }

  /** Redistributes records by {@code partitioner}; records are not combined. */
  public PairDataset<K, V> partitionBy(Partitioner partitioner) {
    return partitionBy(partitioner, "partitionBy");
  }

  PairDataset<K, V> partitionBy(Partitioner partitioner, String operation) {
    if (partitioner.equals(node().partitioner())) {
      return this;
    }
    ShuffleDependency<K, V, V> dep = new ShuffleDependency<>(node(), context().newShuffleId(),
        partitioner, context().serializer(), null, false, null, operation);
    return new PairDataset<>(new ShuffledNode<>(dep));
  }

  // ---------------------------------------------------------------- per-value transformations

  public <U> PairDataset<K, U> mapValues(Fn<V, U> f) {
    return new PairDataset<>(new MapPartitionsNode<>(node(),
        (task, p, it) -> Iterators.map(it, kv -> Pair.of(kv.key(), f.call(kv.value()))), true));
  }

  public <U> PairDataset<K, U> flatMapValues(FlatMapFn<V, U> f) {
    return new PairDataset<>(new MapPartitionsNode<>(node(), (task, p, it) -> Iterators.flatMap(it,
        kv -> Iterators.map(f.call(kv.value()), u -> Pair.of(kv.key(), u))), true));
  }

  public Dataset<K> keys() {
    return map(Pair::key);
  }

  public Dataset<V> values() {
    return map(Pair::value);
  }

  // ---------------------------------------------------------------- joins

  /** For each key, the values of this and of {@code other}, each as a list. */
  public <W> PairDataset<K, Pair<Iterable<V>, Iterable<W>>> cogroup(PairDataset<K, W> other) {
    return cogroup(other, defaultPartitioner(other));
  }

  public <W> PairDataset<K, Pair<Iterable<V>, Iterable<W>>> cogroup(PairDataset<K, W> other, int numPartitions) {
    return cogroup(other, new HashPartitioner(numPartitions));
  }

  public <W> PairDataset<K, Pair<Iterable<V>, Iterable<W>>> cogroup(PairDataset<K, W> other,
      Partitioner partitioner) {
    return cogroup(other, partitioner, "cogroup");
  }

  @SuppressWarnings("unchecked")
  private <W> PairDataset<K, Pair<Iterable<V>, Iterable<W>>> cogroup(PairDataset<K, W> other,
      Partitioner partitioner, String operation) {
    CoGroupedNode<K> grouped = new CoGroupedNode<>(List.of(node(), other.node()), partitioner,
        context().serializer(), operation);
    return new PairDataset<>(new MapPartitionsNode<>(grouped, (task, p, it) -> Iterators.map(it,
        kv -> Pair.of(kv.key(), Pair.of((Iterable<V>) (List<?>) kv.value().get(0),
            (Iterable<W>) (List<?>) kv.value().get(1)))), true));
  }

  /**
   * Pairs of values of equal keys. Without a partition count or partitioner the join may run as
   * a broadcast hash join (one side under {@code weft.join.broadcastThreshold}); otherwise, or
   * when no side is small, as a shuffle join that streams each key's pairs without holding them
   * in memory. {@link #explain()} shows the choice and why; docs/JOINS.md has the details.
   */
  public <W> PairDataset<K, Pair<V, W>> join(PairDataset<K, W> other) {
    return join(other, JoinHint.AUTO);
  }

  /** {@link #join(PairDataset)} with the strategy forced by {@code hint}. */
  public <W> PairDataset<K, Pair<V, W>> join(PairDataset<K, W> other, JoinHint hint) {
    return joined(other, JoinType.INNER, hint, defaultPartitioner(other), false);
  }

  public <W> PairDataset<K, Pair<V, W>> join(PairDataset<K, W> other, int numPartitions) {
    return join(other, new HashPartitioner(numPartitions));
  }

  /** Always a shuffle join, into {@code partitioner}'s partitions, so the result is partitioned as asked. */
  public <W> PairDataset<K, Pair<V, W>> join(PairDataset<K, W> other, Partitioner partitioner) {
    return joined(other, JoinType.INNER, JoinHint.AUTO, partitioner, true);
  }

  /** Every left record, with each matching right value or, if none, an empty one. */
  public <W> PairDataset<K, Pair<V, Optional<W>>> leftOuterJoin(PairDataset<K, W> other) {
    return leftOuterJoin(other, JoinHint.AUTO);
  }

  /** Only the right side may be broadcast: the left's unmatched records are kept. */
  public <W> PairDataset<K, Pair<V, Optional<W>>> leftOuterJoin(PairDataset<K, W> other, JoinHint hint) {
    return joined(other, JoinType.LEFT_OUTER, hint, defaultPartitioner(other), false);
  }

  public <W> PairDataset<K, Pair<V, Optional<W>>> leftOuterJoin(PairDataset<K, W> other, int numPartitions) {
    return leftOuterJoin(other, new HashPartitioner(numPartitions));
  }

  public <W> PairDataset<K, Pair<V, Optional<W>>> leftOuterJoin(PairDataset<K, W> other, Partitioner partitioner) {
    return joined(other, JoinType.LEFT_OUTER, JoinHint.AUTO, partitioner, true);
  }

  /** Every right record, with each matching left value or, if none, an empty one. */
  public <W> PairDataset<K, Pair<Optional<V>, W>> rightOuterJoin(PairDataset<K, W> other) {
    return rightOuterJoin(other, JoinHint.AUTO);
  }

  /** Only the left side may be broadcast: the right's unmatched records are kept. */
  public <W> PairDataset<K, Pair<Optional<V>, W>> rightOuterJoin(PairDataset<K, W> other, JoinHint hint) {
    return joined(other, JoinType.RIGHT_OUTER, hint, defaultPartitioner(other), false);
  }

  public <W> PairDataset<K, Pair<Optional<V>, W>> rightOuterJoin(PairDataset<K, W> other, int numPartitions) {
    return rightOuterJoin(other, new HashPartitioner(numPartitions));
  }

  public <W> PairDataset<K, Pair<Optional<V>, W>> rightOuterJoin(PairDataset<K, W> other, Partitioner partitioner) {
    return joined(other, JoinType.RIGHT_OUTER, JoinHint.AUTO, partitioner, true);
  }

  /** Every record of both sides; always a shuffle join (neither side can be broadcast). */
  public <W> PairDataset<K, Pair<Optional<V>, Optional<W>>> fullOuterJoin(PairDataset<K, W> other) {
    return fullOuterJoin(other, defaultPartitioner(other));
  }

  public <W> PairDataset<K, Pair<Optional<V>, Optional<W>>> fullOuterJoin(PairDataset<K, W> other, int numPartitions) {
    return fullOuterJoin(other, new HashPartitioner(numPartitions));
  }

  public <W> PairDataset<K, Pair<Optional<V>, Optional<W>>> fullOuterJoin(PairDataset<K, W> other,
      Partitioner partitioner) {
    return joined(other, JoinType.FULL_OUTER, JoinHint.AUTO, partitioner, true);
  }

  @SuppressWarnings("unchecked")
  private <W, R> PairDataset<K, R> joined(PairDataset<K, W> other, JoinType type, JoinHint hint,
      Partitioner partitioner, boolean partitionerGiven) {
    Node<Pair<K, Object>> node = JoinPlanner.plan(node(), other.node(), type, hint, partitioner, partitionerGiven);
    return new PairDataset<>((Node<Pair<K, R>>) (Node<?>) node);
  }

  // ---------------------------------------------------------------- sorting

  /** Sorted by key (natural order) across all partitions: partition i's keys precede i+1's. */
  public PairDataset<K, V> sortByKey() {
    return sortByKey(true);
  }

  /** As many partitions as this dataset (at least one). */
  public PairDataset<K, V> sortByKey(boolean ascending) {
    return sortByKey(ascending, Math.max(1, getNumPartitions()));
  }

  public PairDataset<K, V> sortByKey(boolean ascending, int numPartitions) {
    return sortByKey(NaturalOrder.get(), ascending, numPartitions);
  }

  /** Sorted by {@code ordering}, which must be serializable. */
  public PairDataset<K, V> sortByKey(Comparator<? super K> ordering, boolean ascending, int numPartitions) {
    Partitioner.checkNumPartitions(numPartitions);
    RangePartitioner<K> partitioner = RangePartitioner.fromSample(keys(), numPartitions, ordering, ascending);
    Comparator<? super K> order = ascending ? ordering : new Reversed<>(ordering);
    ShuffleDependency<K, V, V> dep = new ShuffleDependency<>(node(), context().newShuffleId(),
        partitioner, context().serializer(), null, false, order, "sortByKey");
    return new PairDataset<>(new ShuffledNode<>(dep));
  }

  private record Reversed<K>(Comparator<? super K> ordering) implements Comparator<K>, java.io.Serializable {
    @Override
    public int compare(K a, K b) {
      return ordering.compare(b, a);
    }
  }

  // ---------------------------------------------------------------- actions

  public Map<K, Long> countByKey() {
    return mapValues(v -> 1L).countsToMap("countByKey");
  }

  /** Sums the Long values per key on the executors, then collects one entry per key. */
  @SuppressWarnings("unchecked")
  Map<K, Long> countsToMap(String operation) {
    PairDataset<K, Long> counts = (PairDataset<K, Long>) (PairDataset<K, ?>) this;
    return toCountMap(counts.reduceByKey(Long::sum, counts.defaultPartitioner(), operation).collect());
  }

  /** Every pair as a map; for duplicate keys one of the values wins. */
  public Map<K, V> collectAsMap() {
    Map<K, V> out = new HashMap<>();
    for (Pair<K, V> p : collect()) {
      out.put(p.key(), p.value());
    }
    return out;
  }

  /** The values of {@code key}; reads one partition only when the dataset's partitioner is known. */
  public List<V> lookup(K key) {
    Partitioner p = node().partitioner();
    if (p != null) {
      int part = p.partitionFor(key);
      Serializer serializer = context().serializer();
      List<byte[]> found = context().runJob(node(), (task, it) -> {
        ArrayList<V> out = new ArrayList<>();
        while (it.hasNext()) {
          Pair<K, V> kv = it.next();
          if (java.util.Objects.equals(kv.key(), key)) {
            out.add(kv.value());
          }
        }
        return RecordBatches.write(serializer, out.iterator());
      }, new int[] {part});
      List<V> values = new ArrayList<>();
      RecordBatches.readInto(serializer, found.get(0), values);
      return values;
    }
    return filter(kv -> java.util.Objects.equals(kv.key(), key)).values().collect();
  }

  /** Writes {@code key<TAB>value} lines; see {@link Dataset#saveAsTextFile}. */
  @Override
  public void saveAsTextFile(String path) {
    TextOutput.saveAsTextFile(context(), node(), path, kv -> kv.key() + "\t" + kv.value());
  }

  /**
   * Writes the pairs as SequenceFiles ({@code part-m-NNNNN}) plus {@code _SUCCESS} under
   * {@code path}, which must not exist. Keys and values are Writables, or String, Long, Integer,
   * Double, Float, Boolean, byte[] (converted to Text, LongWritable, ...); each partition's
   * classes are those of its first record. An empty partition writes no file.
   */
  public void saveAsSequenceFile(String path) {
    HadoopOutput.save(context(), node(), path, HadoopOutput.sequenceFileFormat(), null, null, true, Map.of());
  }

  /** {@link #saveAsSequenceFile(String)}, block-compressed with a Hadoop codec (e.g. {@code DefaultCodec}). */
  public void saveAsSequenceFile(String path, Class<? extends CompressionCodec> codec) {
    HadoopOutput.save(context(), node(), path, HadoopOutput.sequenceFileFormat(), null, null, true,
        HadoopOutput.sequenceFileCompression(codec));
  }

  /**
   * Writes the pairs with any Hadoop {@code FileOutputFormat} (told {@code keyClass} and
   * {@code valueClass} as its output classes) through Weft's commit protocol: the format's part
   * files and {@code _SUCCESS} under {@code path}, or nothing.
   */
  @SuppressWarnings("rawtypes")
  public void saveAsHadoopFile(String path, Class<? extends FileOutputFormat> formatClass, Class<?> keyClass,
      Class<?> valueClass) {
    HadoopOutput.save(context(), node(), path, formatClass, keyClass, valueClass, false, Map.of());
  }

  // ---------------------------------------------------------------- covariant overrides

  @Override
  public PairDataset<K, V> filter(PredicateFn<Pair<K, V>> f) {
    return new PairDataset<>(filterNode(f));
  }

  @Override
  public PairDataset<K, V> cache() {
    super.cache();
    return this;
  }

  @Override
  public PairDataset<K, V> persist(StorageLevel level) {
    super.persist(level);
    return this;
  }

  @Override
  public PairDataset<K, V> unpersist() {
    super.unpersist();
    return this;
  }

  @Override
  public PairDataset<K, V> unpersist(boolean blocking) {
    super.unpersist(blocking);
    return this;
  }

  @Override
  public PairDataset<K, V> union(Dataset<Pair<K, V>> other) {
    return new PairDataset<>(super.union(other).node());
  }

  @Override
  public PairDataset<K, V> distinct() {
    return new PairDataset<>(super.distinct().node());
  }

  @Override
  public PairDataset<K, V> repartition(int numPartitions) {
    return new PairDataset<>(super.repartition(numPartitions).node());
  }

  @Override
  public PairDataset<K, V> coalesce(int numPartitions) {
    return new PairDataset<>(super.coalesce(numPartitions).node());
  }

  @Override
  public PairDataset<K, V> setName(String name) {
    super.setName(name);
    return this;
  }

  // ---------------------------------------------------------------- helpers

  private Partitioner defaultPartitioner(Dataset<?>... others) {
    Partitioner existing = node().partitioner();
    int max = getNumPartitions();
    for (Dataset<?> o : others) {
      max = Math.max(max, o.getNumPartitions());
      if (existing == null) {
        existing = o.node().partitioner();
      }
    }
    if (existing != null && existing.numPartitions() >= max) {
      return existing;
    }
    Integer configured = context().conf().get(io.weft.config.CoreOptions.DEFAULT_PARALLELISM);
    return new HashPartitioner(configured != null ? configured : Math.max(1, max));
  }

  private static byte[] serialize(Object value) {
    return JavaSerializer.instance().serialize(value);
  }

  /** Zero values are copied per key so a mutable zero is never shared between keys. */
  private static final class ZeroValue {
    private static final io.weft.serialization.JavaSerializer JAVA = new io.weft.serialization.JavaSerializer();

    static <X> X copy(byte[] bytes) {
      return JAVA.newInstance().deserialize(bytes);
    }
  }
}
