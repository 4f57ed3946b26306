package io.weft.plan.join;

import com.google.common.collect.AbstractIterator;
import io.weft.Pair;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The output of a hash join, produced lazily: one side's values are held per key (the
 * <em>build</em> side), the other side's records stream through (the <em>streamed</em> side), and
 * each streamed record is paired with its key's build values one output record at a time. The
 * cross product of a key is never materialized: memory holds the build values of the current
 * run plus one streamed record, whatever the number of output pairs.
 *
 * <p>The input comes as {@link Run}s: a map of build values by key and the streamed records
 * whose keys may be in it. A hash join over a build side that fits in memory is one run; a
 * sort-merge join over hash-sorted inputs is one run per key hash. After a run's streamed
 * records end, build keys that met no streamed record are emitted when the join keeps them.
 *
 * <p>Worked example, {@code leftOuterJoin} with the right side built, build {@code a -> [1, 2]},
 * streamed {@code (a, x), (b, y)}: emits {@code (a, (x, Some 1)), (a, (x, Some 2)),
 * (b, (y, None))}, holding at most one output record at a time.
 *
 * <p>Threading: one task thread.
 */
public final class JoinIterator extends AbstractIterator<Pair<Object, Object>> {
  /** Build-side values by key, and the streamed records to pair with them. */
  public record Run(Map<Object, List<Object>> build, Iterator<? extends Pair<?, ?>> streamed) {}

  private final Iterator<Run> runs;
  private final JoinType type;
  private final boolean buildIsRight;
  private final boolean keepStreamed;
  private final boolean keepBuild;
  /** Build lists that met a streamed record in the current run (tracked only when needed). */
  private final Set<List<Object>> matched = Collections.newSetFromMap(new IdentityHashMap<>());
  private Run run;
  // the streamed record being paired, and the position in its key's build values
  private Object key;
  private Object streamedValue;
  private List<Object> values;
  private int index;
  // after a run: its unmatched build keys, and the position in the current one's values
  private Iterator<Map.Entry<Object, List<Object>>> unmatched;
  private Object unmatchedKey;
  private List<Object> unmatchedValues;
  private int unmatchedIndex;

  /**
   * @param buildIsRight whether the build side is the join's right side (else its left)
   */
  public JoinIterator(Iterator<Run> runs, JoinType type, boolean buildIsRight) {
    this.runs = runs;
    this.type = type;
    this.buildIsRight = buildIsRight;
    this.keepStreamed = buildIsRight ? type.keepsLeft() : type.keepsRight();
    this.keepBuild = buildIsRight ? type.keepsRight() : type.keepsLeft();
  }

  /** A join of one run: every streamed record against one map of build values. */
  public static JoinIterator of(Map<Object, List<Object>> build, Iterator<? extends Pair<?, ?>> streamed,
      JoinType type, boolean buildIsRight) {
    return new JoinIterator(List.of(new Run(build, streamed)).iterator(), type, buildIsRight);
  }

  @Override
  protected Pair<Object, Object> computeNext() {
    while (true) {
      if (values != null) {
        if (index < values.size()) {
          return output(key, streamedValue, values.get(index++));
        }
        values = null;
      }
      if (unmatchedValues != null) {
        if (unmatchedIndex < unmatchedValues.size()) {
          return output(unmatchedKey, null, unmatchedValues.get(unmatchedIndex++));
        }
        unmatchedValues = null;
      }
      if (unmatched != null) {
        nextUnmatched();
        continue;
      }
      if (run == null) {
        if (!runs.hasNext()) {
          return endOfData();
        }
        run = runs.next();
        matched.clear();
        continue;
      }
      if (run.streamed().hasNext()) {
        Pair<?, ?> r = run.streamed().next();
        List<Object> found = run.build().get(r.key());
        if (found != null && !found.isEmpty()) {
          if (keepBuild) {
            matched.add(found);
          }
          key = r.key();
          streamedValue = r.value();
          values = found;
          index = 0;
        } else if (keepStreamed) {
          return output(r.key(), r.value(), null);
        }
        continue;
      }
      // the run's streamed records are done
      if (keepBuild) {
        unmatched = run.build().entrySet().iterator();
      }
      run = null;
    }
  }

  private void nextUnmatched() {
    while (unmatched.hasNext()) {
      Map.Entry<Object, List<Object>> e = unmatched.next();
      if (!matched.contains(e.getValue())) {
        unmatchedKey = e.getKey();
        unmatchedValues = e.getValue();
        unmatchedIndex = 0;
        return;
      }
    }
    unmatched = null;
  }

  /** One output record; {@code streamed} or {@code build} is null when that side is missing. */
  private Pair<Object, Object> output(Object k, Object streamed, Object build) {
    Object left = buildIsRight ? streamed : build;
    Object right = buildIsRight ? build : streamed;
    return new Pair<>(k, type.value(left, right));
  }
}
