package io.weft.config;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One typed configuration setting: its key, how to parse it, its default, what it means and
 * which values are valid. Entries are declared as constants in one {@code *Options} holder per
 * area and read with {@code WeftConf.get(entry)}; the README's table is generated from them by
 * {@link ConfigDocs}.
 *
 * <p>A bad value fails with a message naming the key, the value and what was expected.
 */
public final class ConfigEntry<T> {
  private final String key;
  private final Function<String, T> parser;
  private final String defaultValue;
  private final String doc;
  private final Predicate<T> validator;
  private final String validDescription;
  private final String typeName;

  private ConfigEntry(Builder<T> b) {
    this.key = b.key;
    this.parser = b.parser;
    this.defaultValue = b.defaultValue;
    this.doc = b.doc;
    this.validator = b.validator;
    this.validDescription = b.validDescription;
    this.typeName = b.typeName;
    if (defaultValue != null) {
      parse(defaultValue); // a bad default is a programming error: fail at class load
    }
  }

  public String key() {
    return key;
  }

  public String doc() {
    return doc;
  }

  /** The default as written in the docs, or null when the setting has none. */
  public String defaultValue() {
    return defaultValue;
  }

  public String typeName() {
    return typeName;
  }

  /** Parses and validates {@code raw}; null parses to the default (which may itself be null). */
  public T parse(String raw) {
    String text = raw == null ? defaultValue : raw.trim();
    if (text == null) {
      return null;
    }
    T value;
    try {
      value = parser.apply(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Invalid value '" + text + "' for " + key + ": expected " + typeName + " (" + e.getMessage() + ")", e);
    }
    if (!validator.test(value)) {
      throw new IllegalArgumentException(
          "Invalid value '" + text + "' for " + key + ": must be " + validDescription);
    }
    return value;
  }

  @Override
  public String toString() {
    return key;
  }

  public static Builder<String> stringConf(String key) {
    return new Builder<>(key, Function.identity(), "string");
  }

  public static Builder<Integer> intConf(String key) {
    return new Builder<>(key, Integer::valueOf, "int");
  }

  public static Builder<Long> longConf(String key) {
    return new Builder<>(key, Long::valueOf, "long");
  }

  public static Builder<Double> doubleConf(String key) {
    return new Builder<>(key, Double::valueOf, "double");
  }

  public static Builder<Boolean> booleanConf(String key) {
    return new Builder<>(key, ConfigEntry::parseBoolean, "boolean");
  }

  /** A byte count such as {@code 512k}, {@code 64m} or {@code 2g}; plain numbers are bytes. */
  public static Builder<Long> bytesConf(String key) {
    return new Builder<>(key, Sizes::parseBytes, "size (e.g. 64m)");
  }

  /** A byte count as for {@link #bytesConf}, or {@code -1} for "disabled". */
  public static Builder<Long> bytesOrDisabledConf(String key) {
    return new Builder<>(key, s -> s.trim().equals("-1") ? -1L : Sizes.parseBytes(s), "size (e.g. 10m) or -1");
  }

  /** A duration in milliseconds, written as {@code 200ms}, {@code 3s}, {@code 2min}; plain numbers are ms. */
  public static Builder<Long> durationMsConf(String key) {
    return new Builder<>(key, Sizes::parseDurationMs, "duration (e.g. 3s)");
  }

  private static boolean parseBoolean(String s) {
    if (s.equalsIgnoreCase("true")) {
      return true;
    }
    if (s.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("not true or false");
  }

  /** Builds an entry; {@link #register} is mandatory so the registry and the docs see it. */
  public static final class Builder<T> {
    private final String key;
    private final Function<String, T> parser;
    private final String typeName;
    private String defaultValue;
    private String doc = "";
    private Predicate<T> validator = v -> true;
    private String validDescription = "";

    private Builder(String key, Function<String, T> parser, String typeName) {
      this.key = Objects.requireNonNull(key);
      this.parser = parser;
      this.typeName = typeName;
    }

    public Builder<T> doc(String doc) {
      this.doc = doc;
      return this;
    }

    public Builder<T> defaultValue(String defaultValue) {
      this.defaultValue = defaultValue;
      return this;
    }

    public Builder<T> check(Predicate<T> validator, String validDescription) {
      this.validator = validator;
      this.validDescription = validDescription;
      return this;
    }

    public ConfigEntry<T> register() {
      ConfigEntry<T> entry = new ConfigEntry<>(this);
      ConfigRegistry.add(entry);
      return entry;
    }
  }
}
