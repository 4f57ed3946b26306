package io.weft.network;

import static io.weft.network.NetworkTesting.HOST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.weft.network.auth.AuthenticationException;
import io.weft.network.crypto.CryptoCodec;
import io.weft.network.crypto.SessionKeys;
import io.weft.network.protocol.FetchBroadcast;
import io.weft.network.protocol.FetchBroadcastResponse;
import io.weft.network.protocol.Messages;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * weft.network.crypto.enabled: what crosses the socket after the handshake is not the plain
 * frame bytes, both ends still understand each other, and an altered or reordered record closes
 * the connection. A tap at the head of the client's pipeline records the raw socket bytes.
 */
@Timeout(60)
class WireEncryptionTest {
  private static final String MARKER = "plain-record-bytes-0123456789-";
  private final byte[] secret = NetworkTesting.newSecret();

  @Test
  void encryptedBytesOnTheWireAreNotThePlainRecordButTheAnswerArrives() throws Exception {
    Tapped t = exchange(true, true);
    assertTrue(t.answer.contains(MARKER), "the client did not get the server's answer");
    assertFalse(t.raw.contains(MARKER), "the record crossed the socket in clear");
    assertTrue(t.rawLength > 20 * MARKER.length(), "the tap saw only " + t.rawLength + " bytes");
  }

  /** The same exchange without crypto shows the marker to the tap: the tap does see the record bytes. */
  @Test
  void withoutEncryptionTheTapSeesThePlainRecord() throws Exception {
    Tapped t = exchange(false, false);
    assertTrue(t.raw.contains(MARKER), "the tap missed the clear-text record");
  }

  /**
   * Ends that differ in weft.network.crypto.enabled fail at the handshake (each says its setting
   * in its FLAGS byte), with a message naming the setting and both values, either way round; the
   * server refuses and counts the connection, and nothing reaches its handler.
   */
  @Test
  void aMismatchFailsTheHandshakeNamingTheSetting() throws Exception {
    for (boolean clientCrypto : new boolean[] {true, false}) {
      boolean serverCrypto = !clientCrypto;
      java.util.concurrent.atomic.AtomicInteger handled = new java.util.concurrent.atomic.AtomicInteger();
      try (TransportServer server = new TransportServer(NetworkTesting.conf().withCrypto(serverCrypto), secret, HOST, 0,
              (msg, reply) -> handled.incrementAndGet());
          TransportClientFactory clients = new TransportClientFactory(NetworkTesting.conf().withCrypto(clientCrypto),
              secret, (msg, reply) -> { })) {
        AuthenticationException e = assertThrows(AuthenticationException.class,
            () -> clients.createClient(HOST, server.port()));
        assertTrue(e.getMessage().contains("the server has weft.network.crypto.enabled=" + serverCrypto
            + " but this process has " + clientCrypto), e.getMessage());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.refusedConnections() < 1 && System.nanoTime() < deadline) {
          Thread.sleep(10); // the server refuses on its event loop once the proof (or the close) arrives
        }
        assertEquals(1, server.refusedConnections(), "the server did not refuse the mismatched client");
        assertEquals(0, handled.get());
      }
    }
  }

  @Test
  void keysDifferPerDirectionAndConnectionAndBothEndsAgree() {
    byte[] ns = new byte[32];
    byte[] nc = new byte[32];
    ns[0] = 1;
    nc[0] = 2;
    SessionKeys client = SessionKeys.derive(secret, ns, nc, true);
    SessionKeys server = SessionKeys.derive(secret, ns, nc, false);
    assertArrayEquals(client.sendKey(), server.receiveKey());
    assertArrayEquals(server.sendKey(), client.receiveKey());
    assertFalse(Arrays.equals(client.sendKey(), client.receiveKey()));
    nc[1] = 3;
    assertFalse(Arrays.equals(client.sendKey(), SessionKeys.derive(secret, ns, nc, true).sendKey()));
    assertFalse(client.toString().contains(Arrays.toString(client.sendKey())));
  }

  @Test
  void alteredOrReorderedRecordsAreRefused() {
    assertEquals("first record", open(keys(false), seal(keys(true), "first record")));
    byte[] altered = seal(keys(true), "first record");
    altered[10] ^= 1;
    assertThrows(DecoderException.class, () -> open(keys(false), altered));
    // two records swapped: each intact, but out of place (the counter is part of the nonce)
    EmbeddedChannel out = new EmbeddedChannel(new CryptoCodec.Sealer(keys(true)));
    out.writeOutbound(Unpooled.copiedBuffer("record a", StandardCharsets.UTF_8));
    out.writeOutbound(Unpooled.copiedBuffer("record b", StandardCharsets.UTF_8));
    ByteBuf a = out.readOutbound();
    ByteBuf b = out.readOutbound();
    EmbeddedChannel in = new EmbeddedChannel(new CryptoCodec.Opener(keys(false)));
    assertThrows(DecoderException.class, () -> in.writeInbound(Unpooled.wrappedBuffer(b, a)));
    // closing decodes what is left (record a, now out of place) and fails the same way
    assertThrows(DecoderException.class, in::finishAndReleaseAll);
    out.finishAndReleaseAll();
  }

  private SessionKeys keys(boolean client) {
    return SessionKeys.derive(secret, new byte[32], new byte[32], client);
  }

  /** The bytes a Sealer writes for {@code text} (a new sealer: record number 0). */
  private static byte[] seal(SessionKeys keys, String text) {
    EmbeddedChannel out = new EmbeddedChannel(new CryptoCodec.Sealer(keys));
    out.writeOutbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (ByteBuf b; (b = out.readOutbound()) != null; b.release()) {
      byte[] chunk = new byte[b.readableBytes()];
      b.readBytes(chunk);
      bytes.writeBytes(chunk);
    }
    out.finishAndReleaseAll();
    return bytes.toByteArray();
  }

  private static String open(SessionKeys keys, byte[] sealed) {
    EmbeddedChannel in = new EmbeddedChannel(new CryptoCodec.Opener(keys));
    try {
      in.writeInbound(Unpooled.wrappedBuffer(sealed));
      ByteBuf plain = in.readInbound();
      String s = plain.toString(StandardCharsets.UTF_8);
      plain.release();
      return s;
    } finally {
      in.finishAndReleaseAll();
    }
  }

  private record Tapped(String answer, String raw, int rawLength) {}

  /** One ask whose answer is 40 markers, with the client's raw socket bytes recorded both ways. */
  private Tapped exchange(boolean clientCrypto, boolean serverCrypto) throws Exception {
    byte[] payload = MARKER.repeat(40).getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (TransportServer server = new TransportServer(NetworkTesting.conf().withCrypto(serverCrypto), secret, HOST, 0,
            (msg, reply) -> reply.reply(new FetchBroadcastResponse(ByteBuffer.wrap(payload))));
        TransportClientFactory clients = new TransportClientFactory(NetworkTesting.conf().withCrypto(clientCrypto),
            secret, (msg, reply) -> { })) {
      TransportClient c = clients.createClient(HOST, server.port());
      c.channel().pipeline().addFirst("tap", new Tap(raw));
      FetchBroadcastResponse r = c.ask(new FetchBroadcast(1L), FetchBroadcastResponse.class).get(20, TimeUnit.SECONDS);
      String answer = new String(Messages.bytes(r.getValue()), StandardCharsets.UTF_8);
      byte[] seen;
      synchronized (raw) {
        seen = raw.toByteArray();
      }
      return new Tapped(answer, new String(seen, StandardCharsets.ISO_8859_1), seen.length);
    }
  }

  /** Copies every byte read from and written to the socket. */
  private static final class Tap extends ChannelDuplexHandler {
    private final ByteArrayOutputStream raw;

    Tap(ByteArrayOutputStream raw) {
      this.raw = raw;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      record(msg);
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      record(msg);
      ctx.write(msg, promise);
    }

    private void record(Object msg) {
      if (msg instanceof ByteBuf b) {
        byte[] copy = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), copy);
        synchronized (raw) {
          raw.writeBytes(copy);
        }
      }
    }
  }
}
