package io.weft.serialization;

import io.weft.WeftConf;
import io.weft.config.CoreOptions;

/** Creates the record serializer named by {@code weft.serializer}. */
public final class Serializers {
  private Serializers() {}

  /** A new instance of the configured serializer; a bad class name fails naming the setting. */
  public static Serializer fromConf(WeftConf conf) {
    String name = conf.get(CoreOptions.SERIALIZER);
    try {
      Class<?> cls = Class.forName(name, true, loader());
      return (Serializer) cls.getConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
      throw new IllegalArgumentException("weft.serializer=" + name
          + " is not a Serializer class with a public no-argument constructor (" + e + ")", e);
    }
  }

  private static ClassLoader loader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : Serializers.class.getClassLoader();
  }
}
