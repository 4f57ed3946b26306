package io.weft.network.endpoint;

import io.weft.network.protocol.LaunchTask;
import io.weft.network.protocol.MapOutputLocationMsg;
import io.weft.network.protocol.Messages;
import io.weft.network.protocol.ShuffleBlocksMsg;
import io.weft.network.protocol.TaskStatus;
import io.weft.scheduler.TaskDescription;
import io.weft.scheduler.TaskOutcome;
import io.weft.serialization.JavaSerializer;
import io.weft.shuffle.MapOutputLocation;
import io.weft.shuffle.ShuffleBlocks;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converters between the engine's task records ({@link TaskDescription}, {@link TaskOutcome},
 * the {@link ShuffleBlocks} a task reads) and their wire messages ({@link LaunchTask},
 * {@link TaskStatus}). They live with the endpoints, where protocol records meet the engine's
 * types, so the protocol layer carries bytes and Avro records only and the scheduler and executor
 * keep their own records; the remote-executors backend, the executor's control handler and the
 * executor process use them.
 *
 * <p>Stateless and thread-safe. The task outcome is the one Java-serialized payload on the
 * control path (it carries user exceptions); it is only deserialized by the driver, from a peer
 * that authenticated.
 */
public final class TaskMessages {
  private TaskMessages() {}

  /** The launch message of {@code task} (driver side). */
  public static LaunchTask toLaunchTask(TaskDescription task) {
    List<ShuffleBlocksMsg> shuffles = new ArrayList<>(task.shuffleBlocks().size());
    for (ShuffleBlocks blocks : task.shuffleBlocks().values()) {
      shuffles.add(toMessage(blocks));
    }
    return LaunchTask.newBuilder()
        .setTaskId(task.taskId())
        .setAttemptNumber(task.attemptNumber())
        .setStageId(task.stageId())
        .setStageAttempt(task.stageAttempt())
        .setPartitionIndex(task.partitionIndex())
        .setShuffleMapTask(task.shuffleMapTask())
        .setTaskBinary(ByteBuffer.wrap(task.taskBinary()))
        .setPartition(ByteBuffer.wrap(task.partition()))
        .setShuffleBlocks(shuffles)
        .build();
  }

  /** The task a launch message describes (executor side). */
  public static TaskDescription toTaskDescription(LaunchTask msg) {
    Map<Integer, ShuffleBlocks> shuffleBlocks = new LinkedHashMap<>();
    for (ShuffleBlocksMsg s : msg.getShuffleBlocks()) {
      shuffleBlocks.put(s.getShuffleId(), fromMessage(s));
    }
    return new TaskDescription(msg.getTaskId(), msg.getAttemptNumber(), msg.getStageId(),
        msg.getStageAttempt(), msg.getPartitionIndex(), msg.getShuffleMapTask(),
        Messages.bytes(msg.getTaskBinary()), Messages.bytes(msg.getPartition()), shuffleBlocks);
  }

  private static ShuffleBlocksMsg toMessage(ShuffleBlocks b) {
    List<MapOutputLocationMsg> locations = new ArrayList<>(b.locations().size());
    for (MapOutputLocation l : b.locations()) {
      locations.add(toMessage(l));
    }
    int n = b.blockCount();
    List<Integer> maps = new ArrayList<>(n);
    List<Integer> reduces = new ArrayList<>(n);
    List<Integer> at = new ArrayList<>(n);
    List<Long> sizes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      maps.add(b.mapIndex(i));
      reduces.add(b.reduceId(i));
      at.add(b.locationIndex(i));
      sizes.add(b.blockSize(i));
    }
    List<Integer> covered = new ArrayList<>();
    for (int r : b.reducePartitions()) {
      covered.add(r);
    }
    return new ShuffleBlocksMsg(b.shuffleId(), covered, locations, maps, reduces, at, sizes);
  }

  private static ShuffleBlocks fromMessage(ShuffleBlocksMsg m) {
    List<MapOutputLocation> locations = new ArrayList<>(m.getLocations().size());
    for (MapOutputLocationMsg l : m.getLocations()) {
      locations.add(fromMessage(l));
    }
    return new ShuffleBlocks(m.getShuffleId(), ints(m.getReducePartitions()), locations, ints(m.getMapIndexes()),
        ints(m.getReduceIds()), ints(m.getLocationIndexes()), m.getSizes().stream().mapToLong(Long::longValue).toArray());
  }

  private static int[] ints(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }

  private static MapOutputLocationMsg toMessage(MapOutputLocation l) {
    return new MapOutputLocationMsg(l.executorId(), l.host(), l.port());
  }

  private static MapOutputLocation fromMessage(MapOutputLocationMsg l) {
    return new MapOutputLocation(l.getExecutorId(), l.getHost(), l.getPort());
  }

  /** A task's end as the executor reports it; the outcome is Java-serialized. */
  public static TaskStatus toTaskStatus(long taskId, TaskOutcome outcome) {
    byte[] bytes = JavaSerializer.instance().serialize(outcome);
    return new TaskStatus(taskId, ByteBuffer.wrap(bytes));
  }

  /**
   * The outcome in a status message. Classes resolve through {@code loader} (the driver's user
   * class loader, since a failure may carry a user exception).
   */
  public static TaskOutcome outcome(TaskStatus status, ClassLoader loader) {
    Thread t = Thread.currentThread();
    ClassLoader previous = t.getContextClassLoader();
    t.setContextClassLoader(loader);
    try {
      return JavaSerializer.instance().deserialize(Messages.bytes(status.getOutcome()));
    } finally {
      t.setContextClassLoader(previous);
    }
  }
}
