package io.weft.config;

import static io.weft.config.ConfigEntry.stringConf;

import io.weft.serialization.JavaDeserializationFilter;

/**
 * Settings that harden an application against hostile bytes and eavesdroppers: the Java
 * deserialization filter and wire encryption. See docs/SECURITY.md.
 */
public final class SecurityOptions {
  private SecurityOptions() {}

  public static final ConfigEntry<String> JAVA_FILTER = stringConf("weft.serializer.java.filter")
      .doc("Extra java.io.ObjectInputFilter patterns (';'-separated, JDK syntax) for every Java "
          + "deserialization (task binaries, task results, broadcasts): class patterns are checked "
          + "before the built-in refusal of well-known gadget classes ('!com.example.*' refuses "
          + "more); maxdepth=, maxarray=, maxrefs=, maxbytes= replace the built-in limits.")
      .defaultValue("")
      .check(SecurityOptions::validFilter, "';'-separated ObjectInputFilter patterns")
      .register();

  private static boolean validFilter(String patterns) {
    try {
      JavaDeserializationFilter.build(patterns);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
