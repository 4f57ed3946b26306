package io.weft.network;

import io.weft.WeftConf;
import io.weft.config.NetworkOptions;
import io.weft.config.SecurityOptions;
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
 * @param cryptoEnabled whether connections are encrypted after the handshake
 *     ({@code weft.network.crypto.enabled}); both ends must agree
 */
public record TransportConf(Duration requestTimeout, Duration connectTimeout, Duration authTimeout,
    int ioThreads, long maxBlockInMemory, boolean cryptoEnabled) {

  /**
   * Name of the environment variable that tells an executor process to encrypt (set to
   * {@code true} by whoever launches it): the executor connects before it has the driver's settings.
   */
  public static final String CRYPTO_ENV = "WEFT_NETWORK_CRYPTO_ENABLED";

  /** Without encryption. */
  public TransportConf(Duration requestTimeout, Duration connectTimeout, Duration authTimeout,
      int ioThreads, long maxBlockInMemory) {
    this(requestTimeout, connectTimeout, authTimeout, ioThreads, maxBlockInMemory, false);
  }

  public static TransportConf from(WeftConf conf) {
    return new TransportConf(Duration.ofMillis(conf.get(NetworkOptions.TIMEOUT)),
        Duration.ofMillis(conf.get(NetworkOptions.CONNECT_TIMEOUT)),
        Duration.ofMillis(conf.get(NetworkOptions.AUTH_TIMEOUT)),
        conf.get(NetworkOptions.IO_THREADS),
        conf.get(NetworkOptions.MAX_BLOCK_IN_MEMORY),
        conf.get(SecurityOptions.CRYPTO_ENABLED));
  }

  /** A copy with encryption on or off. */
  public TransportConf withCrypto(boolean enabled) {
    return new TransportConf(requestTimeout, connectTimeout, authTimeout, ioThreads, maxBlockInMemory, enabled);
  }

  /** What an executor process uses before registering: the defaults, encrypted if {@link #CRYPTO_ENV} says so. */
  public static TransportConf forExecutorProcess() {
    return defaults().withCrypto(Boolean.parseBoolean(System.getenv(CRYPTO_ENV)));
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
