package io.weft.plan;

import io.weft.Pair;
import io.weft.Partitioner;
import io.weft.TaskContext;
import io.weft.UnsupportedKeyException;
import io.weft.executor.UserFunctionException;
import io.weft.serialization.Serializer;
import io.weft.shuffle.sort.ExternalSorter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Groups the values of several key-value parents by key: for each key, one list of values per
 * parent. Parents already partitioned like the result are read in place (a narrow dependency);
 * the others are shuffled. Joins are built on this.
 *
 * <p>Values are tagged with their parent's index and combined with an {@link ExternalSorter},
 * so a key with more values than fit in memory spills instead of failing.
 */
public final class CoGroupedNode<K> extends CoPartitionedNode<K, Pair<K, List<List<Object>>>> {
  private final String operation;

  public CoGroupedNode(List<Node<? extends Pair<K, ?>>> parents, Partitioner partitioner, Serializer serializer) {
    this(parents, partitioner, serializer, "cogroup");
  }

  /** @param operation the user-facing operation ({@code join}...), named in errors about keys */
  public CoGroupedNode(List<Node<? extends Pair<K, ?>>> parents, Partitioner partitioner, Serializer serializer,
      String operation) {
    super(parents, partitioner, serializer, operation);
    this.operation = operation;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Iterator<Pair<K, List<List<Object>>>> compute(Partition partition, TaskContext task) {
    int n = dependencies().size();
    Aggregator<K, Pair<Integer, Object>, List<List<Object>>> agg = new Aggregator<>(
        tagged -> {
          List<List<Object>> groups = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            groups.add(new ArrayList<>());
          }
          groups.get(tagged.key()).add(tagged.value());
          return groups;
        },
        (groups, tagged) -> {
          groups.get(tagged.key()).add(tagged.value());
          return groups;
        },
        (a, b) -> {
          for (int i = 0; i < n; i++) {
            a.get(i).addAll(b.get(i));
          }
          return a;
        });
    ExternalSorter<K, Pair<Integer, Object>, List<List<Object>>> sorter =
        new ExternalSorter<>(task, agg, null, null, serializer());
    for (int d = 0; d < n; d++) {
      Iterator<? extends Pair<K, ?>> records = records(d, partition, task);
      final int tag = d;
      Iterator<Pair<K, Pair<Integer, Object>>> tagged = new Iterator<>() {
        @Override
        public boolean hasNext() {
          return records.hasNext();
        }

        @Override
        public Pair<K, Pair<Integer, Object>> next() {
          Pair<K, ?> r = records.next();
          return new Pair<>(r.key(), new Pair<>(tag, r.value()));
        }
      };
      try {
        sorter.insertAll(tagged);
      } catch (UnsupportedKeyException e) {
        throw e.in(operation);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw UserFunctionException.wrap(e);
      }
    }
    return sorter.iterator();
  }
}
