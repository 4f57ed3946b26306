package io.weft;

import io.weft.function.FlatMapFn;
import io.weft.function.Fn;
import io.weft.function.Fn2;
import io.weft.function.PairFn;
import io.weft.function.PartitionFn;
import io.weft.function.PredicateFn;
import io.weft.function.VoidFn;
import io.weft.function.VoidPartitionFn;
import io.weft.io.TextOutput;
import io.weft.io.avro.AvroOutput;
import io.weft.io.parquet.ParquetOutput;
import io.weft.plan.CoalescedNode;
import io.weft.plan.Iterators;
import io.weft.plan.MapPartitionsNode;
import io.weft.plan.Node;
import io.weft.plan.UnionNode;
import io.weft.serialization.JavaSerializer;
import io.weft.serialization.RecordBatches;
import io.weft.serialization.Serializer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import org.apache.avro.Schema;

/**
 * An immutable, partitioned collection computed lazily from its lineage. Transformations
 * ({@code map}, {@code filter}, {@code reduceByKey}...) only describe a new dataset; actions
 * ({@code collect}, {@code count}, {@code saveAsTextFile}...) run a job and block until it ends.
 *
 * <p>Functions passed in are serialized and run in tasks, possibly on other machines: they must
 * be serializable (a lambda is when its captured values are) and must not rely on driver state
 * other than what they capture, a {@link Broadcast} or a {@link LongAccumulator}.
 */
public class Dataset<T> {
  private final Node<T> node;

  public Dataset(Node<T> node) {
    this.node = node;
  }

  /** The lineage node behind this dataset (engine and advanced use). */
  public Node<T> node() {
    return node;
  }

  public WeftContext context() {
    return node.context();
  }

  /**
   * Computes this dataset now (a job) and writes it to the application's checkpoint directory
   * ({@link WeftContext#setCheckpointDir}, required); returns a dataset that reads it back and
   * whose lineage starts there. Checkpoint an iterative program's state every few iterations to
   * keep its lineage, task size and driver memory flat. Cache the dataset first if it is used
   * again before the checkpoint, or it is computed twice.
   */
  public Dataset<T> checkpoint() {
    return new Dataset<>(io.weft.io.CheckpointNode.write(node));
  }

  /**
   * Computes this dataset now (a job) and keeps its partitions on the disks of the executors that
   * computed them; returns a dataset that reads them back and whose lineage starts there. Faster
   * than {@link #checkpoint()} and needs no checkpoint directory, but a partition is lost with its
   * executor (a job needing it then fails saying so): use it to cut the lineage of an iterative
   * program where executors are stable. The files go when the returned dataset is unreachable.
   */
  public Dataset<T> localCheckpoint() {
    return new Dataset<>(io.weft.io.LocalCheckpointNode.write(node));
  }

  // ---------------------------------------------------------------- transformations

  public <R> Dataset<R> map(Fn<T, R> f) {
    return new Dataset<>(new MapPartitionsNode<>(node, (task, p, it) -> Iterators.map(it, f), false));
  }

  public <R> Dataset<R> flatMap(FlatMapFn<T, R> f) {
    return new Dataset<>(new MapPartitionsNode<>(node, (task, p, it) -> Iterators.flatMap(it, f), false));
  }

  public Dataset<T> filter(PredicateFn<T> f) {
    return new Dataset<>(filterNode(f));
  }

  protected Node<T> filterNode(PredicateFn<T> f) {
    return new MapPartitionsNode<>(node, (task, p, it) -> Iterators.filter(it, f), true);
  }

  public <R> Dataset<R> mapPartitions(PartitionFn<T, R> f) {
    return new Dataset<>(new MapPartitionsNode<>(node, (task, p, it) -> f.call(it), false));
  }

  public <K, V> PairDataset<K, V> mapToPair(PairFn<T, K, V> f) {
    return new PairDataset<>(new MapPartitionsNode<>(node, (task, p, it) -> Iterators.map(it, f::call), false));
  }

  public <K> PairDataset<K, T> keyBy(Fn<T, K> f) {
    return mapToPair(x -> Pair.of(f.call(x), x));
  }

  public Dataset<T> union(Dataset<T> other) {
    return new Dataset<>(new UnionNode<>(context(), List.of(node, other.node)));
  }

  /** As many partitions as this dataset (at least one, so an empty dataset gives an empty result). */
  public Dataset<T> distinct() {
    return distinct(Math.max(1, node.numPartitions()));
  }

  public Dataset<T> distinct(int numPartitions) {
    return mapToPair(x -> Pair.of(x, (Object) null))
        .reduceByKey((a, b) -> a, new HashPartitioner(numPartitions), "distinct").keys();
  }

  /** Exactly {@code numPartitions} partitions of about equal size, through a shuffle. */
  public Dataset<T> repartition(int numPartitions) {
    return coalesce(numPartitions, true);
  }

  /** Fewer partitions without a shuffle (each reads a run of the current ones). */
  public Dataset<T> coalesce(int numPartitions) {
    return coalesce(numPartitions, false);
  }

  public Dataset<T> coalesce(int numPartitions, boolean shuffle) {
    if (!shuffle) {
      return new Dataset<>(new CoalescedNode<>(node, numPartitions));
    }
    // spread each partition's records round-robin from a random start, as Spark does
    PairDataset<Integer, T> keyed = new PairDataset<>(new MapPartitionsNode<>(node,
        (task, p, it) -> Iterators.map(it, new RoundRobin<T>(numPartitions, p)), false));
    return keyed.partitionBy(new HashPartitioner(numPartitions), "repartition").values();
  }

  /** Sorted by {@code keyFn}'s natural order into {@code numPartitions} range partitions. */
  public <K> Dataset<T> sortBy(Fn<T, K> keyFn, boolean ascending, int numPartitions) {
    return keyBy(keyFn).sortByKey(ascending, numPartitions).values();
  }

  public <K> Dataset<T> sortBy(Fn<T, K> keyFn, Comparator<K> ordering, boolean ascending, int numPartitions) {
    return keyBy(keyFn).sortByKey(ordering, ascending, numPartitions).values();
  }

  public Dataset<T> cache() {
    return persist(StorageLevel.MEMORY_ONLY);
  }

  /** Keeps computed partitions at {@code level} for later jobs (from the next action on). */
  public Dataset<T> persist(StorageLevel level) {
    node.setStorageLevel(level);
    if (level != StorageLevel.NONE) {
      context().cleaner().registerPersisted(node);
    }
    return this;
  }

  /** Drops cached partitions without waiting; later jobs recompute from lineage. */
  public Dataset<T> unpersist() {
    return unpersist(false);
  }

  /**
   * Drops cached partitions from every executor's memory and disk; if {@code blocking}, returns
   * only once every executor confirmed they are gone. Later jobs recompute from lineage.
   */
  public Dataset<T> unpersist(boolean blocking) {
    node.setStorageLevel(StorageLevel.NONE);
    context().unpersist(node, blocking);
    return this;
  }

  public StorageLevel getStorageLevel() {
    return node.storageLevel();
  }

  public Dataset<T> setName(String name) {
    node.setName(name);
    return this;
  }

  // ---------------------------------------------------------------- actions

  /**
   * All records, in partition order. They travel to the driver written by the data serializer
   * ({@link RecordBatches}), so whatever can be shuffled can be collected.
   */
  public List<T> collect() {
    Serializer serializer = context().serializer();
    List<byte[]> parts = context().runJob(node, (task, it) -> RecordBatches.write(serializer, it));
    List<T> all = new ArrayList<>();
    parts.forEach(batch -> RecordBatches.readInto(serializer, batch, all));
    return all;
  }

  public long count() {
    List<Long> counts = context().runJob(node, (task, it) -> {
      long n = 0;
      while (it.hasNext()) {
        it.next();
        n++;
      }
      return n;
    });
    return counts.stream().mapToLong(Long::longValue).sum();
  }

  /**
   * The first {@code n} elements. Scans one partition first, then more partitions per round
   * (times {@code weft.take.scaleUpFactor}) until it has enough, so a small take on a big dataset
   * reads little.
   */
  public List<T> take(int n) {
    List<T> out = new ArrayList<>();
    Serializer serializer = context().serializer();
    int total = node.numPartitions();
    int scanned = 0;
    int factor = context().conf().get(io.weft.config.CoreOptions.TAKE_SCALE_UP);
    int batch = 1;
    while (out.size() < n && scanned < total) {
      int count = Math.min(batch, total - scanned);
      int[] parts = new int[count];
      for (int i = 0; i < count; i++) {
        parts[i] = scanned + i;
      }
      int left = n - out.size();
      List<byte[]> results = context().runJob(node, (task, it) -> {
        ArrayList<T> taken = new ArrayList<>();
        while (taken.size() < left && it.hasNext()) {
          taken.add(it.next());
        }
        return RecordBatches.write(serializer, taken.iterator());
      }, parts);
      for (byte[] taken : results) {
        List<T> r = new ArrayList<>();
        RecordBatches.readInto(serializer, taken, r);
        out.addAll(r.subList(0, Math.min(r.size(), n - out.size())));
      }
      scanned += count;
      // the first rounds found too little: estimate from the yield so far (with 50% slack),
      // but never grow by more than the scale-up factor at once
      long estimate = out.isEmpty() ? (long) scanned * factor
          : (long) Math.ceil(1.5 * n * scanned / out.size()) - scanned;
      batch = (int) Math.max(1, Math.min(estimate, (long) scanned * factor));
    }
    return out;
  }

  public T first() {
    List<T> one = take(1);
    if (one.isEmpty()) {
      throw new NoSuchElementException("first() of an empty dataset");
    }
    return one.get(0);
  }

  /** Combines all elements with an associative, commutative {@code f}; fails on an empty dataset. */
  public T reduce(Fn2<T, T, T> f) {
    Serializer serializer = context().serializer();
    List<byte[]> partials = context().runJob(node, (task, it) -> {
      ArrayList<T> acc = new ArrayList<>(1);
      if (it.hasNext()) {
        T r = it.next();
        while (it.hasNext()) {
          r = f.call(r, it.next());
        }
        acc.add(r);
      }
      return RecordBatches.write(serializer, acc.iterator());
    });
    T result = null;
    boolean any = false;
    for (byte[] batch : partials) {
      List<T> p = new ArrayList<>(1);
      RecordBatches.readInto(serializer, batch, p);
      for (T v : p) {
        result = any ? call(f, result, v) : v;
        any = true;
      }
    }
    if (!any) {
      throw new UnsupportedOperationException("reduce() of an empty dataset");
    }
    return result;
  }

  public T fold(T zero, Fn2<T, T, T> f) {
    return aggregate(zero, f, f);
  }

  /** Folds each partition from {@code zero} with {@code seqOp}, then the partials with {@code combOp}. */
  public <U> U aggregate(U zero, Fn2<U, T, U> seqOp, Fn2<U, U, U> combOp) {
    byte[] zeroBytes = JavaSerializer.instance().serialize(zero);
    List<U> partials = context().runJob(node, (task, it) -> {
      U acc = task.env().closureSerializer().newInstance().deserialize(zeroBytes);
      while (it.hasNext()) {
        acc = seqOp.call(acc, it.next());
      }
      return acc;
    });
    U result = JavaSerializer.instance().deserialize(zeroBytes);
    for (U p : partials) {
      result = call(combOp, result, p);
    }
    return result;
  }

  public void foreach(VoidFn<T> f) {
    context().runJob(node, (task, it) -> {
      while (it.hasNext()) {
        f.call(it.next());
      }
      return Boolean.TRUE;
    });
  }

  public void foreachPartition(VoidPartitionFn<T> f) {
    context().runJob(node, (task, it) -> {
      f.call(it);
      return Boolean.TRUE;
    });
  }

  public Map<T, Long> countByValue() {
    return mapToPair(x -> Pair.of(x, 1L)).countsToMap("countByValue");
  }

  /**
   * Writes one line per element ({@code toString()}) as {@code part-NNNNN} files plus
   * {@code _SUCCESS} under {@code path}, which must not exist. Nothing appears in {@code path}
   * unless the whole job succeeds.
   */
  public void saveAsTextFile(String path) {
    TextOutput.saveAsTextFile(context(), node, path, String::valueOf);
  }

  /**
   * Writes Avro records ({@code GenericRecord} or generated specific records) as Avro data files
   * {@code part-NNNNN.avro} with the snappy codec, plus {@code _SUCCESS}, under {@code path},
   * which must not exist; nothing appears unless the whole job succeeds.
   */
  public void saveAsAvroFile(String path, Schema schema) {
    saveAsAvroFile(path, schema, "snappy");
  }

  /** {@link #saveAsAvroFile(String, Schema)} with an Avro codec: null, deflate, snappy, zstandard, ... */
  public void saveAsAvroFile(String path, Schema schema, String codec) {
    AvroOutput.save(context(), node, path, schema, codec);
  }

  /**
   * Writes Avro records as Parquet files {@code part-NNNNN.parquet} (snappy) plus
   * {@code _SUCCESS} under {@code path}, which must not exist; nothing appears unless the whole
   * job succeeds.
   */
  public void saveAsParquetFile(String path, Schema schema) {
    saveAsParquetFile(path, schema, "snappy");
  }

  /** {@link #saveAsParquetFile(String, Schema)} with a Parquet codec: uncompressed, snappy, gzip, zstd, ... */
  public void saveAsParquetFile(String path, Schema schema, String codec) {
    ParquetOutput.save(context(), node, path, schema, codec);
  }

  public int getNumPartitions() {
    return node.numPartitions();
  }

  /** The lineage, one node per line, for debugging. */
  public String toDebugString() {
    return node.toDebugString();
  }

  /**
   * The physical plan an action on this dataset would run: its stages with their pipelined
   * operators, each shuffle's partitioner, partition count and map-side combine, and each join's
   * strategy with the reason (estimated sizes, threshold or hint). Runs nothing (a join that
   * chose a broadcast already collected its small side when it was defined).
   */
  public String explain() {
    return io.weft.plan.explain.PlanExplainer.explain(node);
  }

  /** Prints {@link #explain()} to standard output. */
  public void printExplain() {
    System.out.print(explain());
  }

  @Override
  public String toString() {
    return node.toString();
  }

  /** Keys records 0, 1, ... numPartitions-1 in turn, starting at a per-partition random offset. */
  private static final class RoundRobin<T> implements Fn<T, Pair<Integer, T>> {
    private final int partitions;
    private int next;

    RoundRobin(int partitions, int seed) {
      this.partitions = partitions;
      this.next = new Random(seed).nextInt(partitions);
    }

    @Override
    public Pair<Integer, T> call(T value) {
      next = (next + 1) % partitions;
      return Pair.of(next, value);
    }
  }

  static <A, B, R> R call(Fn2<A, B, R> f, A a, B b) {
    try {
      return f.call(a, b);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new WeftException("function failed on the driver: " + e, e);
    }
  }

  static <K> Map<K, Long> toCountMap(List<Pair<K, Long>> counts) {
    Map<K, Long> out = new HashMap<>();
    for (Pair<K, Long> p : counts) {
      out.merge(p.key(), p.value(), Long::sum);
    }
    return out;
  }
}
