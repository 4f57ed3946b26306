package io.weft.network;

import static io.weft.network.NetworkTesting.HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.network.NetworkTesting.RecordingHandler;
import io.weft.network.auth.AuthProtocol;
import io.weft.network.auth.AuthenticationException;
import io.weft.network.endpoint.TaskMessages;
import io.weft.network.protocol.Envelope;
import io.weft.network.protocol.RegisterExecutor;
import io.weft.network.rpc.RpcHandler;
import io.weft.scheduler.TaskDescription;
import io.weft.shuffle.MapOutputLocation;
import io.weft.shuffle.ShuffleBlocks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The handshake: same secret passes; a wrong secret is refused by the server and by the client;
 * and, above all, a peer that skips it gets nothing decoded and no handler call.
 */
class TransportAuthTest {
  private static final long AUTH_TIMEOUT_MS = 500;
  private final byte[] secret = NetworkTesting.newSecret();
  private final RecordingHandler handler = new RecordingHandler((m, r) -> r.reply(m));

  @Test
  void wrongSecretIsRefusedByTheServer() throws Exception {
    try (TransportServer server = new TransportServer(NetworkTesting.conf(), secret, HOST, 0, handler);
        TransportClientFactory clients = new TransportClientFactory(NetworkTesting.conf(),
            NetworkTesting.newSecret(), RpcHandler.REJECT_ALL)) {
      AuthenticationException e = assertThrows(AuthenticationException.class,
          () -> clients.createClient(HOST, server.port()));
      assertTrue(e.getMessage().contains("closed the connection during authentication"), e.getMessage());
      assertEquals(0, handler.invocations.get());
      assertEquals(0, server.decodedFrames());
      awaitRefused(server, 1);
    }
  }

  /** A fake server that says hello correctly but cannot prove the secret: the client hangs up. */
  @Test
  void clientRefusesAServerThatDoesNotKnowTheSecret() throws Exception {
    try (ServerSocket fake = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST));
        TransportClientFactory clients = new TransportClientFactory(NetworkTesting.conf(), secret, RpcHandler.REJECT_ALL)) {
      Thread impostor = new Thread(() -> {
        try (Socket s = fake.accept()) {
          s.getOutputStream().write(AuthProtocol.MAGIC);
          s.getOutputStream().write(AuthProtocol.flags(false));
          s.getOutputStream().write(AuthProtocol.newNonce());
          s.getInputStream().readNBytes(AuthProtocol.CLIENT_PROOF_LENGTH);
          s.getOutputStream().write(new byte[AuthProtocol.SERVER_PROOF_LENGTH]); // a guess
          s.getInputStream().read(); // wait for the client to hang up
        } catch (IOException ignored) {
          // the client closing on us is the expected end
        }
      });
      impostor.start();
      AuthenticationException e = assertThrows(AuthenticationException.class,
          () -> clients.createClient(HOST, fake.getLocalPort()));
      assertTrue(e.getMessage().contains("does not know the application secret"), e.getMessage());
      impostor.join(10_000);
    }
  }

  @Test
  void wellFormedLaunchTaskWithoutHandshakeIsDroppedUndecoded() throws Exception {
    TaskDescription task = new TaskDescription(1L, 0, 1, 0, 0, false, new byte[64], new byte[8],
        Map.of(0, new ShuffleBlocks.Builder(0, new int[] {0}).add(0, 0, new MapOutputLocation("e", "h", 1), 1).build()));
    byte[] frame = NetworkTesting.encodedFrame(new Envelope(1L, false, TaskMessages.toLaunchTask(task)));
    assertRawPeerDropped(frame);
  }

  @Test
  void javaSerializedObjectWithoutHandshakeIsDroppedUndeserialized() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new Tripwire());
    }
    Tripwire.deserialized.set(0);
    assertRawPeerDropped(bytes.toByteArray());
    assertEquals(0, Tripwire.deserialized.get(), "the server deserialized an unauthenticated object");
  }

  /** Magic and the right sizes, but a forged proof followed by a frame: refused before the frame. */
  @Test
  void forgedProofFollowedByAFrameIsDropped() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(AuthProtocol.MAGIC);
    bytes.write(new byte[AuthProtocol.FLAGS_LENGTH + AuthProtocol.NONCE_LENGTH + AuthProtocol.MAC_LENGTH]);
    bytes.write(NetworkTesting.encodedFrame(new Envelope(1L, false, new RegisterExecutor("x", "h", 1, 1, null))));
    assertRawPeerDropped(bytes.toByteArray());
  }

  @Test
  void silentPeerIsDroppedAfterTheAuthTimeout() throws Exception {
    assertRawPeerDropped(new byte[0]);
  }

  /**
   * The control experiment for the tests above: the very same LaunchTask frame, written by a raw
   * socket that first runs the handshake with the right secret, does reach the handler. So the
   * refusals above are the handshake's doing, not a malformed frame's.
   */
  @Test
  void sameFrameAfterARealHandshakeReachesTheHandler() throws Exception {
    TaskDescription task = new TaskDescription(1L, 0, 1, 0, 0, false, new byte[64], new byte[8], Map.of());
    byte[] frame = NetworkTesting.encodedFrame(new Envelope(0L, false, TaskMessages.toLaunchTask(task)));
    try (TransportServer server = new TransportServer(NetworkTesting.conf(), secret, HOST, 0, handler);
        Socket raw = new Socket(HOST, server.port())) {
      raw.setSoTimeout(10_000);
      handshakeByHand(raw, secret);
      raw.getOutputStream().write(frame);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (handler.invocations.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(1, handler.invocations.get());
      assertEquals(1, server.decodedFrames());
      assertEquals(0, server.refusedConnections());
    }
  }

  /** A server that accepts TCP but never says hello: the client gives up after its connect timeout. */
  @Test
  void clientGivesUpOnAServerThatNeverSaysHello() throws Exception {
    TransportConf impatient = new TransportConf(java.time.Duration.ofSeconds(10),
        java.time.Duration.ofMillis(300), java.time.Duration.ofSeconds(10), 1, 1 << 20);
    try (ServerSocket mute = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST));
        TransportClientFactory clients = new TransportClientFactory(impatient, secret, RpcHandler.REJECT_ALL)) {
      // the message names the 300 ms connect timeout, not the 10 s ones: that one fired (no
      // wall-clock bound, which a loaded machine could break)
      IOException e = assertThrows(IOException.class, () -> clients.createClient(HOST, mute.getLocalPort()));
      assertTrue(e.getMessage().contains("took more than 300 ms"), e.getMessage());
    }
  }

  /** The client side of {@link AuthProtocol}, done with plain streams. */
  private static void handshakeByHand(Socket raw, byte[] secret) throws IOException {
    byte[] hello = raw.getInputStream().readNBytes(AuthProtocol.SERVER_HELLO_LENGTH);
    byte[] serverNonce = java.util.Arrays.copyOfRange(hello, AuthProtocol.MAGIC.length + AuthProtocol.FLAGS_LENGTH,
        hello.length);
    byte[] clientNonce = AuthProtocol.newNonce();
    raw.getOutputStream().write(AuthProtocol.MAGIC);
    raw.getOutputStream().write(AuthProtocol.flags(false));
    raw.getOutputStream().write(clientNonce);
    raw.getOutputStream().write(AuthProtocol.clientProof(secret, serverNonce, clientNonce));
    byte[] serverProof = raw.getInputStream().readNBytes(AuthProtocol.SERVER_PROOF_LENGTH);
    assertTrue(AuthProtocol.matches(AuthProtocol.serverProof(secret, serverNonce, clientNonce), serverProof));
  }

  /**
   * Connects with a plain socket, writes {@code payload} without any handshake, and checks the
   * server hangs up (at the latest when its auth timeout fires) having called no handler and
   * decoded no frame. The server's request timeout is far longer than the wait here, so only the
   * handshake can have closed the connection; how fast it did is not measured.
   */
  private void assertRawPeerDropped(byte[] payload) throws Exception {
    TransportConf conf = NetworkTesting.conf(AUTH_TIMEOUT_MS, 600_000);
    try (TransportServer server = new TransportServer(conf, secret, HOST, 0, handler);
        Socket raw = new Socket(HOST, server.port())) {
      raw.getOutputStream().write(payload);
      raw.getOutputStream().flush();
      raw.setSoTimeout(60_000); // only a bound on a hang
      assertClosedByPeer(raw.getInputStream());
      awaitRefused(server, 1);
      assertEquals(0, handler.invocations.get(), "an unauthenticated peer reached the handler");
      assertEquals(0, server.decodedFrames(), "an unauthenticated peer's bytes were decoded");
    }
  }

  /** Reads until the server closes: only its hello may arrive (37 bytes), then end of stream. */
  private static void assertClosedByPeer(InputStream in) throws IOException {
    int received = 0;
    try {
      while (in.read() >= 0) {
        received++;
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open", e);
    } catch (SocketException e) {
      // a reset is as good as a close
    }
    assertTrue(received <= AuthProtocol.SERVER_HELLO_LENGTH, "received " + received + " bytes");
  }

  private static void awaitRefused(TransportServer server, long n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.refusedConnections() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(server.refusedConnections() >= n, "refusals: " + server.refusedConnections());
  }

  /** Records whether anyone ever deserialized it. */
  static final class Tripwire implements Serializable {
    private static final long serialVersionUID = 1L;
    static final AtomicInteger deserialized = new AtomicInteger();

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      deserialized.incrementAndGet();
    }
  }
}
