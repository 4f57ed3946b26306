package io.weft.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.HashPartitioner;
import io.weft.Pair;
import io.weft.WeftContext;
import io.weft.network.TransportConf;
import io.weft.network.TransportServer;
import io.weft.network.endpoint.TaskMessages;
import io.weft.network.protocol.RegisterExecutor;
import io.weft.network.protocol.RegisteredExecutor;
import io.weft.network.protocol.StopExecutor;
import io.weft.network.protocol.TaskStatus;
import io.weft.network.rpc.RpcHandler;
import io.weft.network.rpc.TransportConnection;
import io.weft.plan.Node;
import io.weft.scheduler.ResultFn;
import io.weft.scheduler.Task;
import io.weft.scheduler.TaskDescription;
import io.weft.scheduler.TaskOutcome;
import io.weft.serialization.JavaSerializer;
import io.weft.serialization.SerializerInstance;
import io.weft.plan.ShuffleDependency;
import io.weft.testing.TestingListNode;
import io.weft.testing.TestingTasks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor process whose driver goes away and that can find the next one (a
 * {@link DriverLocator}, as on YARN across ApplicationMaster attempts), against two hand-made
 * drivers over real, authenticated sockets: it stops the lost driver's task before it registers
 * again, ignores the lost driver's own address, registers with the new driver under the same id,
 * block-server port and resource id, and runs the new driver's tasks; the lost task's status
 * never reaches the new driver. Without a new driver it ends after weft.executor.reconnect.timeout.
 * A map output the next driver recomputes replaces the one kept from the lost driver, and a next
 * attempt's driver on the lost one's host and port is recognised by its attempt number.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ExecutorReconnectTest {
  /** Counted down by the blocking task when it starts and ends (the executor runs in this JVM). */
  static final CountDownLatch BLOCKED_TASK_STARTED = new CountDownLatch(1);
  static final CountDownLatch BLOCKED_TASK_ENDED = new CountDownLatch(1);

  private static WeftContext context;
  @TempDir Path tmp;
  private final byte[] secret = new byte[32];

  @BeforeAll
  static void start() {
    context = TestingTasks.newContext();
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  /** A driver that accepts registrations and records them, the connections and the task statuses. */
  private final class FakeDriver implements AutoCloseable {
    final BlockingQueue<RegisterExecutor> registrations = new ArrayBlockingQueue<>(4);
    final BlockingQueue<Long> tasksEndedAtRegistration = new ArrayBlockingQueue<>(4);
    final BlockingQueue<TransportConnection> connections = new ArrayBlockingQueue<>(4);
    final BlockingQueue<TaskStatus> statuses = new ArrayBlockingQueue<>(4);
    final TransportServer server;

    FakeDriver(Map<String, String> conf) {
      this(conf, 0);
    }

    FakeDriver(Map<String, String> conf, int port) {
      RpcHandler handler = (msg, reply) -> {
        if (msg instanceof RegisterExecutor r) {
          tasksEndedAtRegistration.add(BLOCKED_TASK_ENDED.getCount());
          registrations.add(r);
          connections.add(reply.connection());
          reply.reply(new RegisteredExecutor(true, null, conf));
        } else if (msg instanceof TaskStatus s) {
          statuses.add(s);
        }
      };
      server = new TransportServer(TransportConf.forExecutorProcess(), secret, "127.0.0.1", port, handler);
    }

    DriverLocator.Address address() {
      return new DriverLocator.Address("127.0.0.1", server.port());
    }

    @Override
    public void close() {
      server.close();
    }
  }

  @Test
  void anExecutorWhoseDriverIsLostStopsItsTasksAndRegistersWithTheNextDriver() throws Exception {
    new SecureRandom().nextBytes(secret);
    Map<String, String> conf = Map.of("weft.master", "yarn", "weft.executor.reconnect.timeout", "60s");
    try (FakeDriver first = new FakeDriver(conf); FakeDriver second = new FakeDriver(conf)) {
      AtomicReference<DriverLocator.Address> published = new AtomicReference<>(first.address());
      CompletableFuture<String> ended = run(first, published::get);

      RegisterExecutor r1 = first.registrations.poll(30, TimeUnit.SECONDS);
      assertNotNull(r1, "registered with the first driver");
      TransportConnection toExecutor = first.connections.take();
      toExecutor.send(TaskMessages.toLaunchTask(task(11L, blockingFn())));
      assertTrue(BLOCKED_TASK_STARTED.await(30, TimeUnit.SECONDS));
      toExecutor.close(); // the driver dies with its task running
      published.set(second.address());

      RegisterExecutor r2 = second.registrations.poll(30, TimeUnit.SECONDS);
      assertNotNull(r2, "registered with the next driver");
      assertEquals(0L, second.tasksEndedAtRegistration.take(), "the lost driver's task ended before");
      assertEquals(List.of("3", r1.getBlockPort(), 2, "container_1_0001_01_000002"),
          List.of(r2.getExecutorId(), r2.getBlockPort(), r2.getCores(), r2.getResourceId()));
      assertEquals(r1.getBlockPort(), r2.getBlockPort());

      // the new driver reuses task id 11: only its own task's status comes back
      TransportConnection toReturned = second.connections.take();
      toReturned.send(TaskMessages.toLaunchTask(task(11L, sumFn())));
      TaskStatus status = second.statuses.poll(30, TimeUnit.SECONDS);
      assertNotNull(status);
      TaskOutcome outcome = TaskMessages.outcome(status, getClass().getClassLoader());
      TaskOutcome.Success success = assertInstanceOf(TaskOutcome.Success.class, outcome, outcome.toString());
      assertEquals("sum=6", JavaSerializer.instance().deserialize(success.value()));

      toReturned.send(new StopExecutor("done"));
      String reason = ended.get(30, TimeUnit.SECONDS);
      assertTrue(reason.startsWith("the driver asked: done"), reason);
      assertTrue(second.statuses.isEmpty(), "no other status reached the new driver: " + second.statuses);
      assertTrue(first.registrations.isEmpty() && second.registrations.isEmpty(), "registered once with each");
    }
  }

  @Test
  void anExecutorThatFindsNoNewDriverEndsAfterTheReconnectTimeout() throws Exception {
    new SecureRandom().nextBytes(secret);
    try (FakeDriver only = new FakeDriver(Map.of("weft.master", "yarn", "weft.executor.reconnect.timeout", "300ms"))) {
      CompletableFuture<String> ended = run(only, only::address); // never publishes another
      assertNotNull(only.registrations.poll(30, TimeUnit.SECONDS));
      only.connections.take().close();
      String reason = ended.get(60, TimeUnit.SECONDS);
      assertTrue(reason.contains("no new driver within 300 ms (weft.executor.reconnect.timeout"), reason);
    }
  }

  /**
   * The stale-output case of an ApplicationMaster restart: the first driver's map task writes
   * shuffle 3's map output 0; the next driver does not adopt it (say its input changed) and runs
   * map task 0 of shuffle 3 again on the returning executor, with other records of the same
   * serialized size. The output served afterwards must be the new driver's.
   */
  @Test
  void aMapOutputRecomputedForTheNextDriverReplacesTheLostDriversOutput() throws Exception {
    new SecureRandom().nextBytes(secret);
    Map<String, String> conf = Map.of("weft.master", "yarn", "weft.executor.reconnect.timeout", "60s");
    try (FakeDriver first = new FakeDriver(conf); FakeDriver second = new FakeDriver(conf)) {
      AtomicReference<DriverLocator.Address> published = new AtomicReference<>(first.address());
      CompletableFuture<String> ended = run(first, published::get);
      assertNotNull(first.registrations.poll(30, TimeUnit.SECONDS), "registered with the first driver");
      TransportConnection toExecutor = first.connections.take();
      toExecutor.send(TaskMessages.toLaunchTask(mapTask(21L, "attempt-1")));
      assertSucceeded(first.statuses.poll(30, TimeUnit.SECONDS));
      Path data = shuffleDataFile(3, 0);
      assertTrue(served(data).contains("attempt-1"), "the first driver's output is on disk");
      toExecutor.close();
      published.set(second.address());

      assertNotNull(second.registrations.poll(30, TimeUnit.SECONDS), "registered with the next driver");
      TransportConnection toReturned = second.connections.take();
      toReturned.send(TaskMessages.toLaunchTask(mapTask(21L, "attempt-2")));
      assertSucceeded(second.statuses.poll(30, TimeUnit.SECONDS));
      String after = served(shuffleDataFile(3, 0));
      assertTrue(after.contains("attempt-2"), "the next driver's output is served");
      assertFalse(after.contains("attempt-1"), "the lost driver's output is gone");

      toReturned.send(new StopExecutor("done"));
      assertTrue(ended.get(30, TimeUnit.SECONDS).startsWith("the driver asked: done"));
    }
  }

  /**
   * A fixed driver port: the next attempt's driver listens where the lost one did. The executor
   * (started by attempt 1) must tell it apart by its attempt, and not take attempt 1's address,
   * still published until attempt 2 publishes its own, for a new driver.
   */
  @Test
  void theNextAttemptsDriverOnTheLostDriversHostAndPortIsFoundByItsAttempt() throws Exception {
    new SecureRandom().nextBytes(secret);
    Map<String, String> conf = Map.of("weft.master", "yarn", "weft.executor.reconnect.timeout", "60s");
    FakeDriver first = new FakeDriver(conf);
    int port = first.server.port();
    AtomicReference<DriverLocator.Address> published = new AtomicReference<>(new DriverLocator.Address("127.0.0.1", port, 1));
    CompletableFuture<String> ended = run(first, published::get, 1);
    try (first) {
      assertNotNull(first.registrations.poll(30, TimeUnit.SECONDS), "registered with attempt 1's driver");
      first.connections.take().close();
    }
    try (FakeDriver second = new FakeDriver(conf, port)) {
      published.set(new DriverLocator.Address("127.0.0.1", port, 2));
      assertNotNull(second.registrations.poll(30, TimeUnit.SECONDS), "registered with attempt 2's driver, same port");
      second.connections.take().send(new StopExecutor("done"));
      String reason = ended.get(30, TimeUnit.SECONDS);
      assertTrue(reason.startsWith("the driver asked: done"), reason);
    }
  }

  private static void assertSucceeded(TaskStatus status) {
    assertNotNull(status, "the map task's status");
    TaskOutcome outcome = TaskMessages.outcome(status, ExecutorReconnectTest.class.getClassLoader());
    assertInstanceOf(TaskOutcome.Success.class, outcome, outcome.toString());
  }

  /** The executor's data file of a map output (under its scratch directory in {@code tmp}). */
  private Path shuffleDataFile(int shuffleId, int mapIndex) throws java.io.IOException {
    String name = "shuffle_" + shuffleId + "_" + mapIndex + ".data";
    try (java.util.stream.Stream<Path> files = Files.walk(tmp)) {
      return files.filter(f -> f.getFileName().toString().equals(name)).findFirst()
          .orElseThrow(() -> new AssertionError("no " + name + " under " + tmp));
    }
  }

  /** A data file's bytes as text (Java serialization keeps an ASCII string's bytes as they are). */
  private static String served(Path data) throws java.io.IOException {
    return new String(Files.readAllBytes(data), StandardCharsets.ISO_8859_1);
  }

  /** Map task 0 of shuffle 3 (one reduce partition) over the one record ("k", value). */
  private static TaskDescription mapTask(long taskId, String value) {
    SerializerInstance java = JavaSerializer.instance();
    Node<Pair<String, String>> node = TestingListNode.of(context, List.of(List.of(Pair.of("k", value))));
    ShuffleDependency<String, String, String> dep = new ShuffleDependency<>(node, 3, new HashPartitioner(1),
        new JavaSerializer(), null, false, null);
    byte[] binary = java.serialize(new Task.ShuffleMapBinary(node, dep));
    byte[] partition = java.serialize(node.partitions()[0]);
    return new TaskDescription(taskId, 0, 1, 0, 0, true, binary, partition, Map.of());
  }

  private CompletableFuture<String> run(FakeDriver driver, DriverLocator locator) {
    return run(driver, locator, DriverLocator.Address.UNKNOWN_ATTEMPT);
  }

  private CompletableFuture<String> run(FakeDriver driver, DriverLocator locator, int driverAttempt) {
    ExecutorProcess process = new ExecutorProcess(new ExecutorProcess.Args("3", "127.0.0.1", driver.server.port(),
        "127.0.0.1", 2, tmp, "container_1_0001_01_000002", driverAttempt), secret, locator);
    return CompletableFuture.supplyAsync(() -> {
      try {
        return process.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static TaskDescription task(long taskId, ResultFn<Integer, String> fn) {
    SerializerInstance java = JavaSerializer.instance();
    Node<Integer> node = TestingListNode.of(context, List.of(List.of(1, 2, 3)));
    byte[] binary = java.serialize(new Task.ResultBinary(node, fn));
    byte[] partition = java.serialize(node.partitions()[0]);
    return new TaskDescription(taskId, 0, 1, 0, 0, false, binary, partition, Map.of());
  }

  private static ResultFn<Integer, String> sumFn() {
    return (task, it) -> {
      int sum = 0;
      while (it.hasNext()) {
        sum += it.next();
      }
      return "sum=" + sum;
    };
  }

  /** Runs until interrupted (the executor stopping it), then says so. */
  private static ResultFn<Integer, String> blockingFn() {
    return (task, it) -> {
      BLOCKED_TASK_STARTED.countDown();
      try {
        while (!Thread.currentThread().isInterrupted()) {
          LockSupport.park();
        }
        return "interrupted";
      } finally {
        BLOCKED_TASK_ENDED.countDown();
      }
    };
  }
}
