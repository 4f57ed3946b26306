package io.weft.network.protocol;

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
 * Converters between the engine's types and their wire messages, so the scheduler and executor
 * keep their own records and only the backend sees Avro.
 *
 * <p>Stateless and thread-safe. The task outcome is the one Java-serialized payload on the
 * control path (it carries user exceptions); it is only deserialized by the driver, from a peer
 * that authenticated.
 */
public final class Messages {
  private Messages() {}

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

  public static TaskDescription toTaskDescription(LaunchTask msg) {
    Map<Integer, ShuffleBlocks> shuffleBlocks = new LinkedHashMap<>();
    for (ShuffleBlocksMsg s : msg.getShuffleBlocks()) {
      shuffleBlocks.put(s.getShuffleId(), fromMessage(s));
    }
    return new TaskDescription(msg.getTaskId(), msg.getAttemptNumber(), msg.getStageId(),
        msg.getStageAttempt(), msg.getPartitionIndex(), msg.getShuffleMapTask(),
        bytes(msg.getTaskBinary()), bytes(msg.getPartition()), shuffleBlocks);
  }

  public static ShuffleBlocksMsg toMessage(ShuffleBlocks b) {
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

  public static ShuffleBlocks fromMessage(ShuffleBlocksMsg m) {
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

  public static MapOutputLocationMsg toMessage(MapOutputLocation l) {
    return new MapOutputLocationMsg(l.executorId(), l.host(), l.port());
  }

  public static MapOutputLocation fromMessage(MapOutputLocationMsg l) {
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
      return JavaSerializer.instance().deserialize(bytes(status.getOutcome()));
    } finally {
      t.setContextClassLoader(previous);
    }
  }

  /** The bytes of an Avro {@code bytes} field, without disturbing the buffer's position. */
  public static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
