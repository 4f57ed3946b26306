package io.weft.network;

import static io.weft.network.NetworkTesting.HOST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.network.NetworkTesting.RecordingHandler;
import io.weft.network.endpoint.TaskMessages;
import io.weft.network.protocol.Ack;
import io.weft.network.protocol.CanCommit;
import io.weft.network.protocol.CanCommitResponse;
import io.weft.network.protocol.FetchBroadcast;
import io.weft.network.protocol.FetchBroadcastResponse;
import io.weft.network.protocol.Heartbeat;
import io.weft.network.protocol.HeartbeatResponse;
import io.weft.network.protocol.KillTask;
import io.weft.network.protocol.LaunchTask;
import io.weft.network.protocol.Messages;
import io.weft.network.protocol.RegisterExecutor;
import io.weft.network.protocol.RegisteredExecutor;
import io.weft.network.protocol.StopExecutor;
import io.weft.network.protocol.TaskStatus;
import io.weft.network.rpc.RemoteRpcException;
import io.weft.network.rpc.RpcHandler;
import io.weft.network.rpc.TransportConnection;
import io.weft.scheduler.TaskDescription;
import io.weft.scheduler.TaskEndReason;
import io.weft.scheduler.TaskOutcome;
import io.weft.executor.TaskMetrics;
import io.weft.shuffle.MapOutputLocation;
import io.weft.shuffle.ShuffleBlocks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Requests, replies and pushes over real sockets on 127.0.0.1, after a real handshake. */
class TransportRpcTest {
  private final byte[] secret = NetworkTesting.newSecret();

  /** Answers like a tiny driver: registrations, commits, broadcasts; throws on StopExecutor. */
  private static RecordingHandler driverLike() {
    return new RecordingHandler((msg, reply) -> {
      if (msg instanceof RegisterExecutor r) {
        reply.reply(new RegisteredExecutor(true, "welcome " + r.getExecutorId(), java.util.Map.of()));
      } else if (msg instanceof CanCommit c) {
        reply.reply(new CanCommitResponse(c.getPartition() % 2 == 0));
      } else if (msg instanceof FetchBroadcast b) {
        reply.reply(new FetchBroadcastResponse(ByteBuffer.wrap(NetworkTesting.utf8("value-" + b.getBroadcastId()))));
      } else if (msg instanceof LaunchTask t) {
        reply.reply(new Ack("task " + TaskMessages.toTaskDescription(t).taskId()));
      } else if (msg instanceof StopExecutor) {
        throw new IllegalStateException("refusing to stop");
      }
    });
  }

  @Test
  void sameSecretHandshakesAndRoundTrips() throws Exception {
    RecordingHandler handler = driverLike();
    try (TransportServer server = new TransportServer(NetworkTesting.conf(), secret, HOST, 0, handler);
        TransportClientFactory clients = new TransportClientFactory(NetworkTesting.conf(), secret, RpcHandler.REJECT_ALL)) {
      assertTrue(server.port() > 0);
      TransportClient client = clients.createClient(HOST, server.port());
      RegisteredExecutor ack = client.ask(new RegisterExecutor("exec-1", "host-a", 7337, 4, null),
          RegisteredExecutor.class).get(10, TimeUnit.SECONDS);
      assertTrue(ack.getAccepted());
      assertEquals("welcome exec-1", ack.getMessage());

      client.send(new KillTask(42L, "job cancelled"));
      // a one-way message and a later ask on the same connection arrive in order
      assertTrue(client.ask(new CanCommit(1, 0, 4, 0), CanCommitResponse.class).get(10, TimeUnit.SECONDS).getAllowed());
      KillTask kill = (KillTask) handler.messages.stream().filter(m -> m instanceof KillTask).findFirst().orElseThrow();
      assertEquals(42L, kill.getTaskId());
      assertEquals("job cancelled", kill.getReason());
      assertEquals(0, server.refusedConnections());
      client.close();
    }
  }

  @Test
  void launchTaskCarriesEveryFieldOfTheTaskDescription() throws Exception {
    TaskDescription task = new TaskDescription(77L, 2, 5, 1, 9, true, new byte[] {1, 2, 3},
        new byte[] {9, 8}, Map.of(3, new ShuffleBlocks.Builder(3, new int[] {9, 10})
            .add(0, 9, new MapOutputLocation("e1", "h1", 1001), 12)
            .add(0, 10, new MapOutputLocation("e1", "h1", 1001), 1L << 40)
            .add(5, 9, new MapOutputLocation("e2", "h2", 1002), 3).build(),
            4, new ShuffleBlocks.Builder(4, new int[] {9}).build()));
    RecordingHandler handler = driverLike();
    try (TransportServer server = new TransportServer(NetworkTesting.conf(), secret, HOST, 0, handler);
        TransportClientFactory clients = new TransportClientFactory(NetworkTesting.conf(), secret, RpcHandler.REJECT_ALL)) {
      TransportClient client = clients.createClient(HOST, server.port());
      Ack ack = client.ask(TaskMessages.toLaunchTask(task), Ack.class).get(10, TimeUnit.SECONDS);
      assertEquals("task 77", ack.getNote());
      TaskDescription back = TaskMessages.toTaskDescription((LaunchTask) handler.messages.get(0));
      assertEquals(task.taskId(), back.taskId());
      assertEquals(task.attemptNumber(), back.attemptNumber());
      assertEquals(task.stageId(), back.stageId());
      assertEquals(task.stageAttempt(), back.stageAttempt());
      assertEquals(task.partitionIndex(), back.partitionIndex());
      assertEquals(task.shuffleMapTask(), back.shuffleMapTask());
      assertArrayEquals(task.taskBinary(), back.taskBinary());
      assertArrayEquals(task.partition(), back.partition());
      assertEquals(task.shuffleBlocks(), back.shuffleBlocks());
      assertEquals(List.of(new MapOutputLocation("e1", "h1", 1001), new MapOutputLocation("e2", "h2", 1002)),
          back.shuffleBlocks().get(3).locations(), "each location once");
    }
  }

  @Test
  void taskStatusCarriesTheSerializedOutcome() {
    TaskOutcome.Failure failure = new TaskOutcome.Failure(
        new TaskEndReason.FetchFailed("e1", 3, 4, 5, "gone"), new TaskMetrics());
    TaskStatus status = TaskMessages.toTaskStatus(12L, failure);
    TaskOutcome back = TaskMessages.outcome(status, getClass().getClassLoader());
    assertEquals(failure.reason(), ((TaskOutcome.Failure) back).reason());
  }

  @Test
  void handlerExceptionBecomesAnErrorReply() throws Exception {
    try (TransportServer server = new TransportServer(NetworkTesting.conf(), secret, HOST, 0, driverLike());
        TransportClientFactory clients = new TransportClientFactory(NetworkTesting.conf(), secret, RpcHandler.REJECT_ALL)) {
      TransportClient client = clients.createClient(HOST, server.port());
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> client.ask(new StopExecutor("bye")).get(10, TimeUnit.SECONDS));
      assertInstanceOf(RemoteRpcException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("refusing to stop"), e.getCause().getMessage());
      // the connection survives a failed request
      assertTrue(client.ask(new CanCommit(1, 0, 2, 0), CanCommitResponse.class).get(10, TimeUnit.SECONDS).getAllowed());
    }
  }

  /** The driver pushes to an executor down the connection the executor opened. */
  @Test
  void serverAsksTheClientOverItsOwnConnection() throws Exception {
    AtomicReference<TransportConnection> executorConnection = new AtomicReference<>();
    CountDownLatch registered = new CountDownLatch(1);
    RecordingHandler driver = new RecordingHandler((msg, reply) -> {
      reply.connection().setAttachment(((RegisterExecutor) msg).getExecutorId());
      executorConnection.set(reply.connection());
      reply.reply(new RegisteredExecutor(true, null, java.util.Map.of()));
      registered.countDown();
    });
    RecordingHandler executor = new RecordingHandler((msg, reply) ->
        reply.reply(new HeartbeatResponse(((Heartbeat) msg).getRunningTasks() == 3)));
    try (TransportServer server = new TransportServer(NetworkTesting.conf(), secret, HOST, 0, driver);
        TransportClientFactory clients = new TransportClientFactory(NetworkTesting.conf(), secret, executor)) {
      TransportClient client = clients.createClient(HOST, server.port());
      client.ask(new RegisterExecutor("exec-9", "h", 1, 1, null)).get(10, TimeUnit.SECONDS);
      assertTrue(registered.await(10, TimeUnit.SECONDS));
      assertEquals("exec-9", executorConnection.get().attachment());
      HeartbeatResponse r = executorConnection.get()
          .ask(Heartbeat.newBuilder().setExecutorId("exec-9").setRunningTasks(3).build(), HeartbeatResponse.class).get(10, TimeUnit.SECONDS);
      assertTrue(r.getKnown());
    }
  }

  @Test
  void manyConcurrentAsksEachGetTheirOwnReply() throws Exception {
    int threads = 8;
    int perThread = 400;
    try (TransportServer server = new TransportServer(NetworkTesting.conf(), secret, HOST, 0, driverLike());
        TransportClientFactory clients = new TransportClientFactory(NetworkTesting.conf(), secret, RpcHandler.REJECT_ALL)) {
      TransportClient client = clients.getClient(HOST, server.port());
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      long start = System.nanoTime();
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int base = t * perThread;
          done.add(pool.submit(() -> {
            List<CompletableFuture<FetchBroadcastResponse>> asks = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
              asks.add(clients.getClient(HOST, server.port())
                  .ask(new FetchBroadcast((long) base + i), FetchBroadcastResponse.class));
            }
            for (int i = 0; i < perThread; i++) {
              byte[] value = Messages.bytes(asks.get(i).get(30, TimeUnit.SECONDS).getValue());
              assertEquals("value-" + (base + i), new String(value, java.nio.charset.StandardCharsets.UTF_8));
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      System.out.printf("%d concurrent asks in %d ms%n", threads * perThread,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      assertTrue(client == clients.getClient(HOST, server.port()), "the pool reuses one connection");
    }
  }

  @Test
  void poolReplacesAConnectionThatClosed() throws Exception {
    try (TransportServer server = new TransportServer(NetworkTesting.conf(), secret, HOST, 0, driverLike());
        TransportClientFactory clients = new TransportClientFactory(NetworkTesting.conf(), secret, RpcHandler.REJECT_ALL)) {
      TransportClient first = clients.getClient(HOST, server.port());
      first.close();
      first.channel().closeFuture().await(10, TimeUnit.SECONDS);
      TransportClient second = clients.getClient(HOST, server.port());
      assertTrue(second != first && second.isActive());
      assertTrue(second.ask(new CanCommit(1, 0, 0, 0), CanCommitResponse.class).get(10, TimeUnit.SECONDS).getAllowed());
    }
  }

  @Test
  void unansweredAskTimesOutAndClosedConnectionFailsPendingAsks() throws Exception {
    RecordingHandler silent = new RecordingHandler((msg, reply) -> { });
    TransportConf shortRequests = NetworkTesting.conf(2_000, 300);
    try (TransportClientFactory clients = new TransportClientFactory(shortRequests, secret, RpcHandler.REJECT_ALL);
        TransportClientFactory patient = new TransportClientFactory(NetworkTesting.conf(), secret, RpcHandler.REJECT_ALL)) {
      TransportServer server = new TransportServer(shortRequests, secret, HOST, 0, silent);
      TransportClient client = clients.createClient(HOST, server.port());
      ExecutionException timedOut = assertThrows(ExecutionException.class,
          () -> client.ask(new CanCommit(1, 0, 0, 0)).get(10, TimeUnit.SECONDS));
      assertInstanceOf(TimeoutException.class, timedOut.getCause());

      TransportClient other = patient.createClient(HOST, server.port());
      CompletableFuture<Object> pending = other.ask(new CanCommit(1, 0, 0, 0));
      server.close();
      ExecutionException closed = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
      assertInstanceOf(IOException.class, closed.getCause());
    }
  }
}
