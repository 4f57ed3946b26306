package io.weft.network;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.weft.network.auth.AuthProtocol;
import io.weft.network.auth.ClientAuthHandler;
import io.weft.network.rpc.RpcHandler;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Opens authenticated connections to {@link TransportServer}s, sharing one set of I/O threads.
 * {@link #getClient} pools one connection per {@code host:port} (Netty multiplexes concurrent
 * requests on it) and replaces it when it has closed.
 *
 * <p>Threading: thread-safe; {@code createClient}/{@code getClient} block the calling thread
 * (never call them on a Netty thread) for at most the connect timeout.
 *
 * <p>Failure handling: a refused TCP connection, a server that does not know the secret, or a
 * handshake that does not finish within the connect timeout is an {@link IOException}; the
 * half-open channel is closed.
 */
public final class TransportClientFactory implements AutoCloseable {
  private final TransportConf conf;
  private final byte[] secret;
  private final RpcHandler inboundHandler;
  private final EventLoopGroup group;
  private final LongAdder decodedFrames = new LongAdder();
  private final ConcurrentHashMap<String, CompletableFuture<TransportClient>> pool = new ConcurrentHashMap<>();

  /**
   * @param secret the application secret (at least 16 bytes); copied
   * @param inboundHandler handles what servers send down these connections unasked (the
   *     driver's orders to an executor); {@link RpcHandler#REJECT_ALL} when nothing is expected
   */
  public TransportClientFactory(TransportConf conf, byte[] secret, RpcHandler inboundHandler) {
    this.conf = conf;
    this.secret = AuthProtocol.checkSecret(secret);
    this.inboundHandler = inboundHandler;
    this.group = new MultiThreadIoEventLoopGroup(conf.effectiveIoThreads(),
        new DefaultThreadFactory("weft-client-io", true), NioIoHandler.newFactory());
  }

  /** A new connection of the caller's own, authenticated both ways; the caller closes it. */
  public TransportClient createClient(String host, int port) throws IOException {
    CompletableFuture<Void> auth = new CompletableFuture<>();
    TransportClient[] client = new TransportClient[1];
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) conf.connectTimeout().toMillis())
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            client[0] = new TransportClient(ch, conf, host, port);
            ch.pipeline().addLast("auth", new ClientAuthHandler(secret, conf.cryptoEnabled(),
                p -> TransportPipeline.addAuthenticatedHandlers(p, client[0], inboundHandler, decodedFrames,
                    conf.cryptoEnabled()),
                auth));
          }
        });
    ChannelFuture connect = b.connect(host, port);
    Channel channel = connect.channel();
    try {
      connect.addListener(f -> {
        if (!f.isSuccess()) {
          auth.completeExceptionally(f.cause());
        }
      });
      auth.get(conf.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
      return client[0];
    } catch (InterruptedException e) {
      channel.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to " + host + ":" + port, e);
    } catch (TimeoutException e) {
      channel.close();
      throw new IOException("connecting to " + host + ":" + port + " (and authenticating) took more than "
          + conf.connectTimeout().toMillis() + " ms", e);
    } catch (ExecutionException e) {
      channel.close();
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException("cannot connect to " + host + ":" + port + ": " + cause, cause);
    }
  }

  /**
   * The shared connection to {@code host:port}, opened on first use and re-opened when it has
   * closed. Do not close it: it belongs to the pool.
   */
  public TransportClient getClient(String host, int port) throws IOException {
    String key = host + ":" + port;
    for (int attempt = 0; ; attempt++) {
      CompletableFuture<TransportClient> mine = new CompletableFuture<>();
      CompletableFuture<TransportClient> existing = pool.putIfAbsent(key, mine);
      if (existing == null) {
        // this thread connects; others asking meanwhile wait on the same future
        try {
          mine.complete(createClient(host, port));
        } catch (IOException | RuntimeException e) {
          pool.remove(key, mine);
          mine.completeExceptionally(e);
          throw e;
        }
        existing = mine;
      }
      TransportClient client = await(existing, key);
      if (client.isActive() || attempt > 0) {
        return client;
      }
      pool.remove(key, existing); // closed since it was pooled: replace it once
    }
  }

  private TransportClient await(CompletableFuture<TransportClient> f, String key) throws IOException {
    try {
      return f.get(conf.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to " + key, e);
    } catch (TimeoutException e) {
      throw new IOException("connecting to " + key + " timed out", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof IOException io ? io : new IOException("cannot connect to " + key + ": " + c, c);
    }
  }

  /** Closes every pooled connection and ends the I/O threads. */
  @Override
  public void close() {
    for (CompletableFuture<TransportClient> f : pool.values()) {
      f.thenAccept(TransportClient::close);
    }
    pool.clear();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
