package io.weft.network;

import static io.weft.network.NetworkTesting.HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import io.weft.driver.DriverServices;
import io.weft.executor.Executor;
import io.weft.executor.ExecutorEnv;
import io.weft.network.endpoint.DriverEndpointHandler;
import io.weft.network.endpoint.ExecutorMessageHandler;
import io.weft.network.endpoint.RemoteDriverEndpoint;
import io.weft.network.endpoint.TaskMessages;
import io.weft.network.protocol.Ack;
import io.weft.network.protocol.LaunchTask;
import io.weft.network.protocol.RegisterExecutor;
import io.weft.network.protocol.RegisteredExecutor;
import io.weft.network.protocol.StopExecutor;
import io.weft.network.protocol.TaskStatus;
import io.weft.network.rpc.RpcHandler;
import io.weft.network.rpc.TransportConnection;
import io.weft.plan.Node;
import io.weft.scheduler.OutputCommitCoordinator;
import io.weft.scheduler.ResultFn;
import io.weft.scheduler.Task;
import io.weft.scheduler.TaskDescription;
import io.weft.scheduler.TaskOutcome;
import io.weft.serialization.JavaSerializer;
import io.weft.serialization.SerializerInstance;
import io.weft.storage.LocalDirs;
import io.weft.testing.TestingListNode;
import io.weft.testing.TestingTasks;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control path a YARN backend assembles, end to end over a real socket: an executor
 * connects and registers, the driver pushes a real task binary down that connection, the task
 * asks the driver for commit permission and a broadcast, and its outcome comes back as a
 * TaskStatus; then the driver stops the executor.
 */
class TransportEndpointsTest {
  @TempDir Path tmp;
  private final byte[] secret = NetworkTesting.newSecret();

  @Test
  void driverLaunchesATaskOnARemoteExecutorAndGetsItsOutcome() throws Exception {
    DriverServices services = new DriverServices(new OutputCommitCoordinator());
    SerializerInstance java = JavaSerializer.instance();
    services.putBroadcast(5L, java.serialize("hello"));
    BlockingQueue<TransportConnection> registered = new ArrayBlockingQueue<>(1);
    BlockingQueue<TaskStatus> statuses = new ArrayBlockingQueue<>(4);
    RpcHandler backend = (msg, reply) -> {
      if (msg instanceof RegisterExecutor r) {
        reply.connection().setAttachment(r.getExecutorId());
        registered.add(reply.connection());
        reply.reply(new RegisteredExecutor(true, null, Map.of()));
      } else if (msg instanceof TaskStatus s) {
        statuses.add(s);
      }
    };
    BlockingQueue<String> stopped = new ArrayBlockingQueue<>(4);
    try (TransportServer driver = new TransportServer(NetworkTesting.conf(), secret, HOST, 0,
            new DriverEndpointHandler(services, backend));
        ExecutorMessageHandler executorHandler = new ExecutorMessageHandler(stopped::add);
        TransportClientFactory control = new TransportClientFactory(NetworkTesting.conf(), secret, executorHandler)) {
      // what an executor's main does, in this order
      TransportClient toDriver = control.createClient(HOST, driver.port());
      ExecutorEnv env = new ExecutorEnv("exec-7", HOST, 0, new WeftConf(false),
          new LocalDirs(tmp.resolve("exec-7")), null, null, 1 << 20, null, new RemoteDriverEndpoint(toDriver));
      Executor executor = new Executor(env, 2, getClass().getClassLoader(),
          (taskId, outcome) -> toDriver.send(TaskMessages.toTaskStatus(taskId, outcome)));
      executorHandler.bind(executor);
      assertTrue(toDriver.ask(new RegisterExecutor("exec-7", HOST, 0, 2, null), RegisteredExecutor.class)
          .get(10, TimeUnit.SECONDS).getAccepted());

      TransportConnection toExecutor = registered.poll(10, TimeUnit.SECONDS);
      assertEquals("exec-7", toExecutor.attachment());
      LaunchTask launch = TaskMessages.toLaunchTask(sumTask(java));
      assertInstanceOf(Ack.class, toExecutor.ask(launch).get(10, TimeUnit.SECONDS));

      TaskStatus status = statuses.poll(30, TimeUnit.SECONDS);
      assertEquals(11L, status.getTaskId());
      TaskOutcome outcome = TaskMessages.outcome(status, getClass().getClassLoader());
      TaskOutcome.Success success = assertInstanceOf(TaskOutcome.Success.class, outcome, outcome.toString());
      assertEquals("sum=6 commit=true broadcast=hello", java.deserialize(success.value()));

      toExecutor.send(new StopExecutor("job done"));
      assertEquals("the driver asked: job done", stopped.poll(10, TimeUnit.SECONDS));
      executor.stop();
    }
  }

  /**
   * The driver accepted a registration and, its job already done, says stop before the executor
   * has bound itself (it is still building its block store from the driver's answer): the stop
   * must not be lost, or the executor lingers until its container is released.
   */
  @Test
  void aStopThatArrivesBeforeTheExecutorIsBoundStopsIt() throws Exception {
    BlockingQueue<TransportConnection> registered = new ArrayBlockingQueue<>(1);
    RpcHandler backend = (msg, reply) -> {
      if (msg instanceof RegisterExecutor r) {
        registered.add(reply.connection());
        reply.reply(new RegisteredExecutor(true, null, Map.of()));
      }
    };
    BlockingQueue<String> stopped = new ArrayBlockingQueue<>(4);
    try (TransportServer driver = new TransportServer(NetworkTesting.conf(), secret, HOST, 0,
            new DriverEndpointHandler(new DriverServices(new OutputCommitCoordinator()), backend));
        ExecutorMessageHandler executorHandler = new ExecutorMessageHandler(stopped::add);
        TransportClientFactory control = new TransportClientFactory(NetworkTesting.conf(), secret, executorHandler)) {
      TransportClient toDriver = control.createClient(HOST, driver.port());
      assertTrue(toDriver.ask(new RegisterExecutor("exec-8", HOST, 0, 1, null), RegisteredExecutor.class)
          .get(10, TimeUnit.SECONDS).getAccepted());
      TransportConnection toExecutor = registered.poll(10, TimeUnit.SECONDS);

      assertInstanceOf(Ack.class, toExecutor.ask(new StopExecutor("application finished")).get(10, TimeUnit.SECONDS));
      assertEquals("the driver asked: application finished", stopped.poll(10, TimeUnit.SECONDS));
    }
  }

  private static TaskDescription sumTask(SerializerInstance java) {
    Node<Integer> node = TestingListNode.of(TestingTasks.newContext(), List.of(List.of(1, 2, 3)));
    ResultFn<Integer, String> fn = (task, it) -> {
      int sum = 0;
      while (it.hasNext()) {
        sum += it.next();
      }
      boolean commit = task.env().driver().canCommit(task.stageId(), task.stageAttemptNumber(),
          task.partitionId(), task.attemptNumber());
      return "sum=" + sum + " commit=" + commit + " broadcast=" + task.env().broadcastValue(5L);
    };
    byte[] binary = java.serialize(new Task.ResultBinary(node, fn));
    byte[] partition = java.serialize(node.partitions()[0]);
    return new TaskDescription(11L, 0, 1, 0, 0, false, binary, partition, Map.of());
  }
}
