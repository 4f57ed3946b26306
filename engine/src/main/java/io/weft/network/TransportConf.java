package io.weft.network;

import io.weft.WeftConf;
import io.weft.config.NetworkOptions;
import java.time.Duration;

/**
 * The transport's settings, read once from a {@link WeftConf} (keys in {@link NetworkOptions}),
 * so Netty threads never parse configuration. Tests build one directly with short timeouts.
 *
 * @param requestTimeout how long {@code ask} and block fetches wait for an answer
 * @param connectTimeout TCP connect plus handshake, as seen by a client
 * @param authTimeout how long a server waits for a new peer to authenticate
 * @param ioThreads Netty event loop threads (0 = one per processor, at most 8)
 * @param maxBlockInMemory fetched blocks up to this many bytes are received into memory, larger
 *     ones into a file
 */
public record TransportConf(Duration requestTimeout, Duration connectTimeout, Duration authTimeout,
    int ioThreads, long maxBlockInMemory) {

  public static TransportConf from(WeftConf conf) {
    return new TransportConf(Duration.ofMillis(conf.get(NetworkOptions.TIMEOUT)),
        Duration.ofMillis(conf.get(NetworkOptions.CONNECT_TIMEOUT)),
        Duration.ofMillis(conf.get(NetworkOptions.AUTH_TIMEOUT)),
        conf.get(NetworkOptions.IO_THREADS),
        conf.get(NetworkOptions.MAX_BLOCK_IN_MEMORY));
  }

  /** The defaults of every {@link NetworkOptions} entry. */
  public static TransportConf defaults() {
    return from(new WeftConf(false));
  }

  /** The number of event loop threads to start. */
  public int effectiveIoThreads() {
    return ioThreads > 0 ? ioThreads : Math.min(8, Runtime.getRuntime().availableProcessors());
  }
}
