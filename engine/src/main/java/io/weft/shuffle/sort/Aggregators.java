package io.weft.shuffle.sort;

import io.weft.plan.Aggregator;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * Calls an {@link Aggregator}'s user functions from engine code: their checked exceptions are
 * wrapped in an unchecked {@link AggregatorException} naming the step; runtime exceptions and
 * errors pass through unchanged so the task fails with the user's own exception.
 */
public final class Aggregators {
  private Aggregators() {}

  /** A user aggregator function threw a checked exception. */
  public static final class AggregatorException extends RuntimeException {
    AggregatorException(String step, Exception cause) {
      super("aggregator " + step + " failed: " + cause, cause);
    }
  }

  /** The aggregator that merges combiners with combiners, for data combined on the map side. */
  public static <K, C> Aggregator<K, C, C> combinersOnly(Aggregator<K, ?, C> agg) {
    return new Aggregator<>(c -> c, agg.mergeCombiners(), agg.mergeCombiners());
  }

  /**
   * Whether {@code fn} is the method reference {@code Long::sum} (as in {@code reduceByKey(Long::sum)}),
   * recognised from the {@link SerializedLambda} every serializable lambda can be replaced by: its
   * implementation is {@code java.lang.Long.sum(long, long)}. Such a function on two {@code Long}s
   * is exactly {@code Long.valueOf(a + b)} (wrapping on overflow), so the aggregation map may add
   * primitive longs instead of calling it and boxing each sum. A lambda written out
   * ({@code (a, b) -> a + b}) is not recognised and takes the general path.
   */
  static boolean isLongSum(Object fn) {
    if (fn == null || !fn.getClass().isSynthetic()) {
      return false;
    }
    try {
      Method writeReplace = fn.getClass().getDeclaredMethod("writeReplace");
      writeReplace.setAccessible(true);
      return writeReplace.invoke(fn) instanceof SerializedLambda l
          && "java/lang/Long".equals(l.getImplClass())
          && "sum".equals(l.getImplMethodName())
          && "(JJ)J".equals(l.getImplMethodSignature());
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false; // not a serializable lambda: the general path is always right
    }
  }

  static <K, V, C> C create(Aggregator<K, V, C> agg, V value) {
    try {
      return agg.createCombiner().call(value);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new AggregatorException("createCombiner", e);
    }
  }

  static <K, V, C> C mergeValue(Aggregator<K, V, C> agg, C combiner, V value) {
    try {
      return agg.mergeValue().call(combiner, value);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new AggregatorException("mergeValue", e);
    }
  }

  static <K, V, C> C mergeCombiners(Aggregator<K, V, C> agg, C a, C b) {
    try {
      return agg.mergeCombiners().call(a, b);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new AggregatorException("mergeCombiners", e);
    }
  }
}
