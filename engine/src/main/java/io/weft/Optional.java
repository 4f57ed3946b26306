package io.weft;

import java.io.Serializable;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A serializable value-or-nothing, used by the outer joins for the side that may be missing.
 * {@link java.util.Optional} is not serializable, so it cannot travel inside shuffled records.
 */
public final class Optional<T> implements Serializable {
  private static final Optional<?> EMPTY = new Optional<>(null);
  private final T value;

  private Optional(T value) {
    this.value = value;
  }

  public static <T> Optional<T> of(T value) {
    return new Optional<>(Objects.requireNonNull(value, "value"));
  }

  @SuppressWarnings("unchecked")
  public static <T> Optional<T> empty() {
    return (Optional<T>) EMPTY;
  }

  public static <T> Optional<T> ofNullable(T value) {
    return value == null ? empty() : of(value);
  }

  public boolean isPresent() {
    return value != null;
  }

  public T get() {
    if (value == null) {
      throw new NoSuchElementException("Optional is empty");
    }
    return value;
  }

  public T orElse(T other) {
    return value != null ? value : other;
  }

  public java.util.Optional<T> toJava() {
    return java.util.Optional.ofNullable(value);
  }

  private Object readResolve() {
    return value == null ? EMPTY : this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Optional<?> other && Objects.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(value);
  }

  @Override
  public String toString() {
    return value == null ? "Optional.empty" : "Optional[" + value + "]";
  }
}
