package io.weft;

import java.io.Serializable;

/**
 * A key and a value: the element type of a {@link PairDataset}. Either side may be {@code null}.
 * Equality and hash code are those of the components, so pairs work as keys themselves.
 */
public record Pair<K, V>(K key, V value) implements Serializable {
  public static <K, V> Pair<K, V> of(K key, V value) {
    return new Pair<>(key, value);
  }

  @Override
  public String toString() {
    return "(" + key + "," + value + ")";
  }
}
