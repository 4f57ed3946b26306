package io.weft.serialization;

import io.weft.WeftConf;
import io.weft.config.CoreOptions;
import java.util.Arrays;
import java.util.List;

/** Creates the record serializer named by {@code weft.serializer}. */
public final class Serializers {
  private Serializers() {}

  /**
   * A new instance of the configured serializer: {@code weft}, {@code java} or a class name; a
   * bad class name fails naming the setting.
   */
  public static Serializer fromConf(WeftConf conf) {
    String name = conf.get(CoreOptions.SERIALIZER).trim();
    if (name.equals("weft") || name.equals(WeftSerializer.class.getName())) {
      return new WeftSerializer(kryoClasses(conf), conf.get(CoreOptions.KRYO_REFERENCES));
    }
    if (name.equals("java")) {
      return new JavaSerializer();
    }
    try {
      Class<?> cls = Class.forName(name, true, loader());
      return (Serializer) cls.getConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
      throw new IllegalArgumentException("weft.serializer=" + name + " is neither weft, java nor a Serializer "
          + "class with a public no-argument constructor (" + e + ")", e);
    }
  }

  private static List<String> kryoClasses(WeftConf conf) {
    return Arrays.stream(conf.get(CoreOptions.KRYO_CLASSES).split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static ClassLoader loader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : Serializers.class.getClassLoader();
  }
}
