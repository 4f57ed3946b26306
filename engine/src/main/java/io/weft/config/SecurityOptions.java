package io.weft.config;

import static io.weft.config.ConfigEntry.booleanConf;
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

  public static final ConfigEntry<Boolean> CRYPTO_ENABLED = booleanConf("weft.network.crypto.enabled")
      .doc("Encrypt every driver-executor and executor-executor (shuffle) connection after its "
          + "handshake: AES-256-GCM records keyed per connection and direction from the application "
          + "secret and the handshake's nonces (HKDF-SHA256). Also makes every byte tamper-evident. "
          + "Costs a copy and the cipher on shuffle blocks (no zero-copy).")
      .defaultValue("false")
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
