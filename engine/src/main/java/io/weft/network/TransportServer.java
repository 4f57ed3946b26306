package io.weft.network;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.weft.network.auth.AuthProtocol;
import io.weft.network.auth.ServerAuthHandler;
import io.weft.network.rpc.RpcHandler;
import io.weft.network.rpc.TransportConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts authenticated connections on one port and hands their messages to an
 * {@link RpcHandler}. The driver runs one for its executors' control connections; each executor
 * runs one as its block server (wrap the handler in
 * {@link io.weft.network.shuffle.BlockFetchHandler}).
 *
 * <p>Every accepted connection starts with a {@link ServerAuthHandler} alone in its pipeline;
 * the frame decoders and the handler are added only after the peer proved the secret.
 *
 * <p>Lifecycle: the constructor binds (port 0 picks a free port; {@link #port()} tells which)
 * and fails with an {@link UncheckedIOException} when it cannot; {@link #close()} stops
 * accepting, closes every connection and ends the I/O threads. Thread-safe.
 */
public final class TransportServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TransportServer.class);

  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final Channel serverChannel;
  private final LongAdder refusedConnections = new LongAdder();
  private final LongAdder decodedFrames = new LongAdder();

  /**
   * Binds {@code host:port} and starts accepting.
   *
   * @param secret the application secret (at least 16 bytes); copied
   * @param handler receives every message of every authenticated connection
   */
  public TransportServer(TransportConf conf, byte[] secret, String host, int port, RpcHandler handler) {
    byte[] key = AuthProtocol.checkSecret(secret);
    long authTimeoutMs = conf.authTimeout().toMillis();
    bossGroup = new MultiThreadIoEventLoopGroup(1,
        new DefaultThreadFactory("weft-server-accept", true), NioIoHandler.newFactory());
    workerGroup = new MultiThreadIoEventLoopGroup(conf.effectiveIoThreads(),
        new DefaultThreadFactory("weft-server-io", true), NioIoHandler.newFactory());
    ServerBootstrap b = new ServerBootstrap()
        .group(bossGroup, workerGroup)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 256)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            TransportConnection connection = new TransportConnection(ch, conf.requestTimeout(), conf.maxBlockInMemory());
            ch.pipeline().addLast("auth", new ServerAuthHandler(key, conf.cryptoEnabled(), authTimeoutMs,
                p -> TransportPipeline.addAuthenticatedHandlers(p, connection, handler, decodedFrames,
                    conf.cryptoEnabled()),
                refusedConnections));
          }
        });
    try {
      serverChannel = b.bind(host, port).syncUninterruptibly().channel();
    } catch (Exception e) { // Netty rethrows the BindException undeclared
      shutdownGroups();
      throw new UncheckedIOException("cannot listen on " + host + ":" + port,
          e instanceof IOException io ? io : new IOException(e.toString(), e));
    }
    LOG.info("transport server listening on {}", serverChannel.localAddress());
  }

  /** The bound port (the chosen one when constructed with port 0). */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  public String host() {
    return ((InetSocketAddress) serverChannel.localAddress()).getHostString();
  }

  /** Connections closed because they failed or did not finish authentication. */
  public long refusedConnections() {
    return refusedConnections.sum();
  }

  /** Frames decoded on authenticated connections (tests check nothing else was decoded). */
  public long decodedFrames() {
    return decodedFrames.sum();
  }

  @Override
  public void close() {
    serverChannel.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
    shutdownGroups();
  }

  private void shutdownGroups() {
    bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
