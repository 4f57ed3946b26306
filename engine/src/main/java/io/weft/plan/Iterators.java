package io.weft.plan;

import io.weft.executor.TaskInterruptedException;
import io.weft.executor.UserFunctionException;
import io.weft.function.FlatMapFn;
import io.weft.function.Fn;
import io.weft.function.PredicateFn;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Lazy iterators that apply user functions record by record, so narrow transformations stream
 * through a task without materializing partitions. A checked exception from a user function is
 * carried out as a {@link UserFunctionException} and reported as the original.
 */
public final class Iterators {
  private Iterators() {}

  /**
   * Checks before each record that the task's thread was not interrupted: a kill interrupts the
   * thread, and code that never blocks (a user function over an in-memory partition, a read of a
   * local file) would otherwise run on to the end of its partition. The check is one field read.
   */
  public static <T> Iterator<T> interruptible(Iterator<T> in) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        if (Thread.currentThread().isInterrupted()) {
          throw new TaskInterruptedException();
        }
        return in.hasNext();
      }

      @Override
      public T next() {
        return in.next();
      }
    };
  }

  public static <T, R> Iterator<R> map(Iterator<T> in, Fn<T, R> f) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return in.hasNext();
      }

      @Override
      public R next() {
        T value = in.next();
        try {
          return f.call(value);
        } catch (Exception e) {
          throw UserFunctionException.wrap(e);
        }
      }
    };
  }

  public static <T> Iterator<T> filter(Iterator<T> in, PredicateFn<T> p) {
    return new Iterator<>() {
      private T next;
      private boolean ready;

      @Override
      public boolean hasNext() {
        while (!ready && in.hasNext()) {
          T candidate = in.next();
          try {
            if (p.test(candidate)) {
              next = candidate;
              ready = true;
            }
          } catch (Exception e) {
            throw UserFunctionException.wrap(e);
          }
        }
        return ready;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ready = false;
        T r = next;
        next = null;
        return r;
      }
    };
  }

  public static <T, R> Iterator<R> flatMap(Iterator<T> in, FlatMapFn<T, R> f) {
    return new Iterator<>() {
      private Iterator<R> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && in.hasNext()) {
          T value = in.next();
          try {
            Iterator<R> produced = f.call(value);
            current = produced == null ? Collections.emptyIterator() : produced;
          } catch (Exception e) {
            throw UserFunctionException.wrap(e);
          }
        }
        return current.hasNext();
      }

      @Override
      public R next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }
}
