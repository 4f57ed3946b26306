package io.weft.cluster.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.cluster.ExecutorInfo;
import io.weft.cluster.SchedulerCallbacks;
import io.weft.executor.DriverEndpoint;
import io.weft.executor.TaskMetrics;
import io.weft.network.TransportClient;
import io.weft.network.TransportClientFactory;
import io.weft.network.TransportConf;
import io.weft.network.endpoint.TaskMessages;
import io.weft.network.protocol.Heartbeat;
import io.weft.network.protocol.HeartbeatResponse;
import io.weft.network.protocol.LaunchTask;
import io.weft.network.protocol.RegisterExecutor;
import io.weft.network.protocol.RegisteredExecutor;
import io.weft.network.rpc.ReplyChannel;
import io.weft.network.rpc.RpcHandler;
import io.weft.scheduler.TaskDescription;
import io.weft.scheduler.TaskOutcome;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection speaks only for the executor it registered as: a task status or heartbeat for
 * another executor, or from a connection that never registered, is dropped by the driver.
 * Real transport, real {@link RemoteExecutorsBackend}; the "executors" are bare clients.
 */
@Timeout(60)
class ConnectionIdentityTest {
  private static final long TASK = 7;

  private final byte[] secret = new byte[32];
  private final BlockingQueue<Long> ended = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> heartbeats = new LinkedBlockingQueue<>();
  private final BlockingQueue<LaunchTask> launchedOnE1 = new LinkedBlockingQueue<>();
  private RemoteExecutorsBackend backend;
  private TransportClientFactory e1Clients;
  private TransportClientFactory otherClients;

  @AfterEach
  void stop() {
    if (e1Clients != null) {
      e1Clients.close();
    }
    if (otherClients != null) {
      otherClients.close();
    }
    if (backend != null) {
      backend.stop();
    }
  }

  @Test
  void statusesAndHeartbeatsCountOnlyFromTheExecutorsOwnConnection() throws Exception {
    new SecureRandom().nextBytes(secret);
    CompletableFuture<Integer> port = new CompletableFuture<>();
    backend = new RemoteExecutorsBackend(new WeftConf(false), new NoDriver(), secret, "127.0.0.1",
        "127.0.0.1", new TwoExecutors(port));
    CompletableFuture<Void> started = CompletableFuture.runAsync(() -> backend.start(new Recording()));
    TransportConf tc = TransportConf.from(new WeftConf(false));
    e1Clients = new TransportClientFactory(tc, secret, new RpcHandler() {
      @Override
      public void receive(Object message, ReplyChannel reply) {
        if (message instanceof LaunchTask t) {
          launchedOnE1.add(t);
        }
      }
    });
    otherClients = new TransportClientFactory(tc, secret, RpcHandler.REJECT_ALL);
    int p = port.get(30, TimeUnit.SECONDS);
    TransportClient e1 = e1Clients.createClient("127.0.0.1", p);
    TransportClient e2 = otherClients.createClient("127.0.0.1", p);
    TransportClient stranger = otherClients.createClient("127.0.0.1", p);
    register(e1, "e1");
    register(e2, "e2");
    started.get(30, TimeUnit.SECONDS);

    backend.launchTask("e1", new TaskDescription(TASK, 0, 0, 0, 0, false, new byte[0], new byte[0], Map.of()));
    assertEquals(TASK, launchedOnE1.poll(30, TimeUnit.SECONDS).getTaskId());

    // another registered executor and an unregistered peer claim e1's task and heartbeat as e1
    e2.send(status());
    stranger.send(status());
    ExecutionException forged = assertThrows(ExecutionException.class,
        () -> e2.ask(Heartbeat.newBuilder().setExecutorId("e1").setRunningTasks(0).build(), HeartbeatResponse.class).get(30, TimeUnit.SECONDS));
    assertTrue(forged.getCause().getMessage().contains("not executor e1"), forged.getCause().toString());
    assertThrows(ExecutionException.class,
        () -> stranger.ask(Heartbeat.newBuilder().setExecutorId("e1").setRunningTasks(0).build(), HeartbeatResponse.class).get(30, TimeUnit.SECONDS));
    // each connection's messages are handled in order: once its ask is answered, its status was seen
    assertTrue(e2.ask(Heartbeat.newBuilder().setExecutorId("e2").setRunningTasks(0).build(), HeartbeatResponse.class).get(30, TimeUnit.SECONDS).getKnown());
    assertEquals("e2", heartbeats.poll(30, TimeUnit.SECONDS));
    assertNull(ended.peek(), "a status from a connection that is not e1's ended the task");

    e1.send(status());
    assertEquals(TASK, ended.poll(30, TimeUnit.SECONDS));
    // a second status for the same task (it is no longer running) is dropped too
    e1.send(status());
    assertTrue(e1.ask(Heartbeat.newBuilder().setExecutorId("e1").setRunningTasks(0).build(), HeartbeatResponse.class).get(30, TimeUnit.SECONDS).getKnown());
    assertEquals("e1", heartbeats.poll(30, TimeUnit.SECONDS));
    assertNull(ended.peek());
    assertTrue(heartbeats.isEmpty(), "forged heartbeats reached the scheduler: " + heartbeats);
  }

  private static void register(TransportClient c, String id) throws Exception {
    RegisteredExecutor r = c.ask(new RegisterExecutor(id, "127.0.0.1", 1, 1, null), RegisteredExecutor.class)
        .get(30, TimeUnit.SECONDS);
    assertNotNull(r);
    assertTrue(r.getAccepted(), String.valueOf(r.getMessage()));
  }

  private static Object status() {
    return TaskMessages.toTaskStatus(TASK, new TaskOutcome.Success(new byte[0], new TaskMetrics(), Map.of(), List.of()));
  }

  private final class Recording implements SchedulerCallbacks {
    @Override
    public void executorAdded(ExecutorInfo executor) {}

    @Override
    public void executorLost(String executorId, String reason) {}

    @Override
    public void taskEnded(long taskId, TaskOutcome outcome) {
      ended.add(taskId);
    }

    @Override
    public void executorHeartbeat(String executorId) {
      heartbeats.add(executorId);
    }

    @Override
    public void executorsExhausted(String reason) {}
  }

  private static final class NoDriver implements DriverEndpoint {
    @Override
    public boolean canCommit(int stageId, int stageAttempt, int partition, int attemptNumber) {
      return false;
    }

    @Override
    public byte[] fetchBroadcast(long id) {
      throw new IllegalArgumentException("no broadcast " + id);
    }
  }

  /** Starts nothing: the test's clients register as e1 and e2. Tells the test the port. */
  private record TwoExecutors(CompletableFuture<Integer> port) implements ExecutorProvisioner {
    @Override
    public void start(String driverHost, int driverPort, Listener listener) {
      port.complete(driverPort);
    }

    @Override
    public void kill(String executorId) {}

    @Override
    public int executorCount() {
      return 2;
    }

    @Override
    public int coresPerExecutor() {
      return 1;
    }

    @Override
    public void stop() {}
  }
}
