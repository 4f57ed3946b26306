package io.weft.scheduler;

import io.weft.Pair;
import io.weft.TaskContext;
import io.weft.WeftConf;
import io.weft.config.ShuffleOptions;
import io.weft.plan.Iterators;
import io.weft.plan.Node;
import io.weft.plan.Partition;
import io.weft.plan.ShuffleDependency;
import io.weft.shuffle.MapOutputLocation;
import io.weft.shuffle.sort.SortShuffleWriter;

/**
 * The two kinds of task. Their binaries are built once per stage attempt by the DAG scheduler and
 * run by executors: a shuffle map task writes its partition of the parent through the shuffle
 * writer; a result task applies the job's function to its partition.
 */
public final class Task {
  private Task() {}

  /** The serialized form of a shuffle map stage: the map-side node and the shuffle. */
  public record ShuffleMapBinary(Node<?> node, ShuffleDependency<?, ?, ?> dependency)
      implements java.io.Serializable {
    @SuppressWarnings({"unchecked", "rawtypes"})
    public MapStatus run(Partition partition, TaskContext task) {
      Node<Pair<Object, Object>> mapNode = (Node<Pair<Object, Object>>) node;
      ShuffleDependency dep = dependency;
      long[] sizes = new SortShuffleWriter().write(dep, partition.index(),
          Iterators.interruptible(mapNode.iterator(partition, task)), task);
      WeftConf conf = task.env().conf();
      return MapStatus.of(new MapOutputLocation(task.env().executorId(), task.env().host(),
          task.env().blockServerPort()), sizes, conf.get(ShuffleOptions.HIGHLY_COMPRESS_ABOVE),
          conf.get(ShuffleOptions.ACCURATE_BLOCK_THRESHOLD));
    }
  }

  /** The serialized form of a result stage: the final node and the job's function. */
  public record ResultBinary(Node<?> node, ResultFn<?, ?> fn) implements java.io.Serializable {
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object run(Partition partition, TaskContext task) throws Exception {
      Node n = node;
      ResultFn f = fn;
      return f.apply(task, Iterators.interruptible(n.iterator(partition, task)));
    }
  }
}
