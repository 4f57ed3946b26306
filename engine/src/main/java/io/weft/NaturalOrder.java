package io.weft;

import java.io.Serializable;
import java.util.Comparator;

/**
 * Serializable natural ordering of {@link Comparable} keys, nulls first; the default ordering of
 * {@code sortByKey} and {@code sortBy}.
 */
public final class NaturalOrder<K> implements Comparator<K>, Serializable {
  @SuppressWarnings("rawtypes")
  static final NaturalOrder INSTANCE = new NaturalOrder();

  @SuppressWarnings("unchecked")
  static <K> Comparator<K> get() {
    return INSTANCE;
  }

  /**
   * Whether {@code ordering} is this natural order, which lets a sorter of string keys sort by a
   * binary key prefix instead of calling the comparator for every comparison.
   */
  public static boolean isNatural(Comparator<?> ordering) {
    return ordering == INSTANCE || ordering == Comparator.naturalOrder();
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public int compare(K a, K b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    if (!(a instanceof Comparable)) {
      throw new ClassCastException("key class " + a.getClass().getName()
          + " is not Comparable: pass a Comparator to sortByKey/sortBy");
    }
    return ((Comparable) a).compareTo(b);
  }

  private Object readResolve() {
    return INSTANCE;
  }
}
