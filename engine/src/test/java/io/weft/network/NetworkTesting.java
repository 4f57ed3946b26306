package io.weft.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.weft.network.protocol.Envelope;
import io.weft.network.protocol.FrameCodec;
import io.weft.network.rpc.ReplyChannel;
import io.weft.network.rpc.RpcHandler;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared helpers of the transport tests: secrets, short timeouts, a recording handler. */
final class NetworkTesting {
  static final String HOST = "127.0.0.1";

  private NetworkTesting() {}

  static byte[] newSecret() {
    byte[] s = new byte[32];
    new SecureRandom().nextBytes(s);
    return s;
  }

  /** Timeouts short enough for tests, long enough for a loaded 2-core machine. */
  static TransportConf conf(long authTimeoutMs, long requestTimeoutMs) {
    return new TransportConf(Duration.ofMillis(requestTimeoutMs), Duration.ofSeconds(10),
        Duration.ofMillis(authTimeoutMs), 2, 32 << 20);
  }

  /** Defaults, but blocks above {@code maxBlockInMemory} bytes are fetched into files. */
  static TransportConf confSpillingAbove(long maxBlockInMemory) {
    TransportConf c = conf();
    return new TransportConf(c.requestTimeout(), c.connectTimeout(), c.authTimeout(), c.ioThreads(), maxBlockInMemory);
  }

  static TransportConf conf() {
    return conf(2_000, 10_000);
  }

  /** The bytes a real peer would send for {@code env} after the handshake. */
  static byte[] encodedFrame(Envelope env) {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec.Encoder());
    ch.writeOutbound(env);
    ByteBuf buf = ch.readOutbound();
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    buf.release();
    ch.finishAndReleaseAll();
    return bytes;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Records every message and answers through {@code answer}; counts invocations. */
  static final class RecordingHandler implements RpcHandler {
    final AtomicInteger invocations = new AtomicInteger();
    final List<Object> messages = new CopyOnWriteArrayList<>();
    private final java.util.function.BiConsumer<Object, ReplyChannel> answer;

    RecordingHandler(java.util.function.BiConsumer<Object, ReplyChannel> answer) {
      this.answer = answer;
    }

    @Override
    public void receive(Object message, ReplyChannel reply) {
      invocations.incrementAndGet();
      messages.add(message);
      answer.accept(message, reply);
    }
  }
}
