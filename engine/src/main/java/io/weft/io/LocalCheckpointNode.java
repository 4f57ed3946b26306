package io.weft.io;

import io.weft.Partitioner;
import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.executor.ExecutorEnv;
import io.weft.plan.Dependency;
import io.weft.plan.Iterators;
import io.weft.plan.Node;
import io.weft.plan.Partition;
import io.weft.serialization.DeserializationStream;
import io.weft.serialization.SerializationStream;
import io.weft.serialization.Serializer;
import io.weft.shuffle.FetchFailedException;
import io.weft.shuffle.MapOutputLocation;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A local checkpoint: a dataset's partitions written once to the disks of the executors that
 * computed them, and this node, which reads them back as the root of a new lineage (as Spark's
 * {@code localCheckpoint}). Faster than {@link CheckpointNode} (no distributed file system, no
 * commit protocol) but not reliable: a partition is lost with its executor, and a job reading it
 * then fails saying so (there is no lineage left to recompute it from).
 *
 * <p>Storage: each partition is one block of a shuffle id of its own (reduce partition 0 of map
 * {@code partition}), committed by the executor's {@code IndexShuffleBlockResolver}. So the
 * executors' block servers serve it to tasks elsewhere, and removing it is removing a shuffle:
 * the context cleaner does that when this node becomes unreachable.
 *
 * <p>Threading: {@link #write} runs a job on the caller's thread; the node is then immutable.
 */
public final class LocalCheckpointNode<T> extends Node<T> {
  private final int shuffleId;
  private final Partition[] written;
  private final Partitioner partitioner;
  private final Serializer serializer;

  /** Where one partition's block was committed, and its size. */
  record Written(int index, MapOutputLocation location, long bytes) implements Partition {}

  private LocalCheckpointNode(WeftContext ctx, int shuffleId, List<Written> written, Partitioner partitioner,
      Serializer serializer) {
    super(ctx);
    this.shuffleId = shuffleId;
    this.written = written.toArray(new Partition[0]);
    this.partitioner = partitioner;
    this.serializer = serializer;
  }

  /**
   * Runs a job writing {@code node}'s partitions to the executors' disks and returns the node
   * that reads them back; its files are removed when it becomes unreachable.
   */
  public static <T> LocalCheckpointNode<T> write(Node<T> node) {
    WeftContext ctx = node.context();
    int shuffleId = ctx.newShuffleId();
    Serializer serializer = ctx.serializer();
    List<Written> written = ctx.runJob(node, (task, records) -> writeBlock(task, shuffleId, serializer, records));
    LocalCheckpointNode<T> checkpoint = new LocalCheckpointNode<>(ctx, shuffleId, written, node.partitioner(), serializer);
    checkpoint.setName("local checkpoint of " + node);
    ctx.cleaner().registerLocalCheckpoint(checkpoint, shuffleId);
    return checkpoint;
  }

  private static <T> Written writeBlock(TaskContext task, int shuffleId, Serializer serializer, Iterator<T> records)
      throws IOException {
    ExecutorEnv env = task.env();
    File tmp = env.localDirs().tempFile("local_checkpoint_" + shuffleId + "_" + task.partitionId());
    try (SerializationStream out = serializer.newInstance().serializeStream(
        new BufferedOutputStream(new FileOutputStream(tmp), 64 * 1024))) {
      while (records.hasNext()) {
        out.writeObject(records.next());
      }
    }
    long[] lengths = env.shuffleResolver().commit(shuffleId, task.partitionId(), tmp, new long[] {tmp.length()});
    return new Written(task.partitionId(), new MapOutputLocation(env.executorId(), env.host(), env.blockServerPort()),
        lengths[0]);
  }

  /** The id under which the executors keep this checkpoint's files (tests). */
  public int shuffleId() {
    return shuffleId;
  }

  @Override
  protected Partition[] computePartitions() {
    return written.clone();
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of();
  }

  @Override
  public Partitioner partitioner() {
    return partitioner;
  }

  @Override
  public List<String> preferredLocations(Partition partition) {
    return List.of(((Written) partition).location().host());
  }

  @Override
  @SuppressWarnings("unchecked")
  public Iterator<T> compute(Partition partition, TaskContext task) {
    Written w = (Written) partition;
    if (w.bytes() == 0) {
      return Collections.emptyIterator();
    }
    InputStream block;
    try {
      block = task.env().fetcher().open(w.location(), shuffleId, w.index(), 0);
    } catch (FetchFailedException e) {
      throw new IllegalStateException("Partition " + w.index() + " of " + this + " is lost: it was kept by executor "
          + w.location().executorId() + " on " + w.location().host() + ", which cannot serve it (" + e.getMessage()
          + "); a local checkpoint does not survive the loss of its executor, use checkpoint() for that", e);
    }
    DeserializationStream in = serializer.newInstance().deserializeStream(new BufferedInputStream(block, 64 * 1024));
    task.addCompletionListener(() -> {
      try {
        in.close();
      } catch (IOException e) {
        // every record was read or the task is failing anyway: nothing to report
      }
    });
    return Iterators.interruptible((Iterator<T>) in.asIterator());
  }
}
