package io.weft.config;

import static io.weft.config.ConfigEntry.bytesConf;
import static io.weft.config.ConfigEntry.durationMsConf;
import static io.weft.config.ConfigEntry.intConf;

/** Settings of the network transport between the driver and executors (io.weft.network). */
public final class NetworkOptions {
  private NetworkOptions() {}

  public static final ConfigEntry<Long> TIMEOUT = durationMsConf("weft.network.timeout")
      .doc("How long a request over the network (an RPC, a shuffle block fetch) waits for its "
          + "answer before it fails; a failed block fetch re-runs the map task that wrote it.")
      .defaultValue("120s")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Long> CONNECT_TIMEOUT = durationMsConf("weft.network.connect.timeout")
      .doc("How long opening a connection (TCP connect plus authentication) may take.")
      .defaultValue("30s")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Long> AUTH_TIMEOUT = durationMsConf("weft.network.auth.timeout")
      .doc("How long a new connection may take to prove it knows the application secret; a "
          + "peer that is silent or slow for longer is disconnected.")
      .defaultValue("10s")
      .check(n -> n > 0, "positive")
      .register();

  public static final ConfigEntry<Integer> IO_THREADS = intConf("weft.network.io.threads")
      .doc("Netty I/O threads of each transport server and client pool; 0 means one per "
          + "available processor, at most 8.")
      .defaultValue("0")
      .check(n -> n >= 0, "non-negative")
      .register();

  public static final ConfigEntry<Long> MAX_BLOCK_IN_MEMORY = bytesConf("weft.network.block.maxInMemory")
      .doc("Shuffle blocks fetched from other executors up to this size are received into memory; "
          + "larger ones are written to a temporary file in the executor's local dir as they arrive.")
      .defaultValue("32m")
      .check(n -> n >= 0 && n < Integer.MAX_VALUE, "between 0 and 2g")
      .register();
}
