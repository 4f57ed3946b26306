package io.weft.network;

import io.netty.channel.Channel;
import io.weft.network.rpc.TransportConnection;

/**
 * A connection this process opened to a {@link TransportServer}, authenticated both ways before
 * it was handed out. Created by {@link TransportClientFactory}: {@code createClient} for a
 * connection of one's own (an executor's control connection to the driver), {@code getClient}
 * for a pooled, shared one (block fetches).
 *
 * <p>Everything is inherited from {@link TransportConnection}: {@code send}, {@code ask},
 * {@code fetchBlock}, {@code close}. Thread-safe.
 */
public final class TransportClient extends TransportConnection {
  private final String host;
  private final int port;

  TransportClient(Channel channel, TransportConf conf, String host, int port) {
    super(channel, conf.requestTimeout(), conf.maxBlockInMemory());
    this.host = host;
    this.port = port;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  @Override
  public String toString() {
    return "client to " + host + ":" + port;
  }
}
